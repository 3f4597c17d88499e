"""001 figures: a divergence and PD against the fine-tuning epoch (F2/F3, F4, F6..F16), AP2 against AP3 (F17)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import MaxNLocator

from prunebench.studies.latent_kl.tables import DIVERGENCES

METHOD_ORDER = ("lowest", "highest", "random")


def _methods(frame: pd.DataFrame) -> list[str]:
    present = list(dict.fromkeys(frame["variant"]))
    return [m for m in METHOD_ORDER if m in present] + [m for m in present if m not in METHOD_ORDER]


def _panel(ax, lines: dict[str, pd.DataFrame], divergence: str, split: str, palette, title: str) -> None:
    twin = ax.twinx()
    positive = True
    for (label, part), color in zip(lines.items(), palette):
        part = part.sort_values("epoch")
        mean, std = part[f"{divergence}_mean"], part[f"{divergence}_std"].fillna(0)
        positive &= bool((mean > 0).all())
        ax.plot(part["epoch"], mean, color=color, marker="o", ms=3, label=label)
        ax.fill_between(part["epoch"], mean - std, mean + std, color=color, alpha=0.15)
        twin.plot(part["epoch"], 100 * part[f"pd_{split}_mean"], color=color, ls="--", marker="x", ms=3)
    if positive:
        ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(title=title, xlabel="fine-tuning epoch", ylabel=f"{DIVERGENCES[divergence]} (solid)")
    twin.set_ylabel(f"PD on {split} (accuracy points, dashed)")
    twin.grid(False)
    ax.legend(fontsize=7, loc="best")


def divergence_pd_figure(summary: pd.DataFrame, divergence: str, split: str, title: str) -> plt.Figure:
    """Row 1: one panel per method, a line per sparsity; row 2: one panel per sparsity, a line per method.
    Solid: the divergence (left axis, mean over seeds with a +-1 std band); dashed: PD (right axis)."""
    methods, sparsities = _methods(summary), sorted(summary["sparsity"].unique())
    cols = max(len(methods), len(sparsities))
    fig, axes = plt.subplots(2, cols, figsize=(4.6 * cols, 7.5), squeeze=False)
    sparsity_colors = sns.color_palette("viridis", len(sparsities))
    method_colors = sns.color_palette("tab10", len(methods))
    for ax, method in zip(axes[0], methods):
        part = summary[summary["variant"] == method]
        _panel(
            ax,
            {f"sparsity {s:g}": part[part["sparsity"] == s] for s in sparsities},
            divergence,
            split,
            sparsity_colors,
            f"{method} magnitude",
        )
    for ax, sparsity in zip(axes[1], sparsities):
        part = summary[summary["sparsity"] == sparsity]
        _panel(
            ax,
            {m: part[part["variant"] == m] for m in methods},
            divergence,
            split,
            method_colors,
            f"sparsity {sparsity:g}",
        )
    for row, used in ((0, len(methods)), (1, len(sparsities))):
        for ax in axes[row, used:]:
            ax.set_visible(False)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def ap2_vs_ap3_figure(summary: pd.DataFrame, title: str) -> plt.Figure:
    """001-F17: AP3 (Student-T, row 1; Gaussian, row 2) against AP2 for the methods at equal sparsity, one point per
    fine-tuning epoch (connected in epoch order; the large marker is epoch 0)."""
    methods, sparsities = _methods(summary), sorted(summary["sparsity"].unique())
    fig, axes = plt.subplots(2, len(sparsities), figsize=(4.3 * len(sparsities), 7.5), squeeze=False)
    colors = sns.color_palette("tab10", len(methods))
    for row, ap3 in enumerate(("ap3_student_t", "ap3_gaussian")):
        for ax, sparsity in zip(axes[row], sparsities):
            part = summary[summary["sparsity"] == sparsity]
            positive = True
            for method, color in zip(methods, colors):
                rows = part[part["variant"] == method].sort_values("epoch")
                x, y = rows["ap2_mean"], rows[f"{ap3}_mean"]
                positive &= bool((x > 0).all() and (y > 0).all())
                ax.plot(x, y, color=color, marker="o", ms=3, label=method)
                ax.plot(x.iloc[:1], y.iloc[:1], color=color, marker="o", ms=8)
            if positive:
                ax.set(xscale="log", yscale="log")
            ax.set(title=f"sparsity {sparsity:g}", xlabel="AP2", ylabel=DIVERGENCES[ap3])
            ax.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
