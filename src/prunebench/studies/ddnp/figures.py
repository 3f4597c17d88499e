"""002 figures: the soft mask drawn from the library itself (F2), and the search results (F3, F4)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from prunebench.pruning.search.topk import smoothstep, sorted_soft_mask
from prunebench.studies.ddnp.search_results import F4_COMPARISONS, LABELS


def soft_against_binary_mask(channels: int = 64, gamma: int = 20, ck: float = 40.0) -> plt.Figure:
    """002-F2 (the document's Fig. 2): the smoothstep soft top-k mask against the binary mask, in importance order,
    from DDNP's own mask function: the continuous relaxation, its values at the channels, and the hard mask."""
    k = torch.tensor(ck / channels, dtype=torch.float64)
    soft = sorted_soft_mask(channels, k, gamma)
    binary = sorted_soft_mask(channels, k, 0)
    x = torch.linspace(0, channels, 20 * channels + 1, dtype=torch.float64)
    centres = torch.arange(channels) + 0.5
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(x, 1 - smoothstep(x, ck, gamma), color="tab:blue", lw=1.5, label="1 - smoothstep (Eq. 7), continuous")
    ax.plot(centres, soft, "s", color="tab:blue", ms=4, label=f"soft mask (sum {float(soft.sum()):.1f})")
    ax.step(
        torch.arange(channels + 1),
        torch.cat([binary, binary[-1:]]),
        where="post",
        color="tab:red",
        lw=1.2,
        label=f"binary mask ({int(binary.sum())} channels)",
    )
    ax.axvspan(ck - gamma / 2, ck + gamma / 2, color="grey", alpha=0.1, label=r"window $C_l k \pm \gamma/2$")
    ax.axvline(ck, color="grey", ls="--", lw=1)
    ax.set(
        xlabel="channel, in decreasing order of importance", ylabel="mask value", xlim=(0, channels), ylim=(-0.05, 1.05)
    )
    ax.set_title(
        rf"Soft top-$k$ against the binary mask: $C_l$ = {channels}, $\gamma$ = {gamma}, $C_l k$ = {ck:g}", fontsize=10
    )
    ax.legend(fontsize=8, loc="lower left")
    return fig


def _rates(frame: pd.DataFrame) -> list[float]:
    return sorted(frame["target_flops_reduction"].unique())


def layer_widths(widths: pd.DataFrame, variants: tuple[str, ...] = ("ddnp", "dp", "ddnp_code")) -> plt.Figure:
    """002-F3 (the document's Fig. 5): the fraction of channels each prunable layer keeps after the search, one panel
    per FLOPs budget, DDNP against DP and, where the config searches it, the authors' released code (seed mean, bars:
    the range over seeds), per (dataset, model)."""
    variants = [variant for variant in variants if variant in set(widths["variant"])]
    widths = widths[widths["variant"].isin(variants)]
    networks = list(widths.groupby(["dataset", "model"]).groups)
    rates = _rates(widths)
    fig, axes = plt.subplots(len(networks), len(rates), figsize=(5.5 * len(rates), 3.2 * len(networks)), squeeze=False)
    for row, (dataset, model) in enumerate(networks):
        for col, rate in enumerate(rates):
            ax = axes[row, col]
            panel = widths[
                (widths["dataset"] == dataset) & (widths["model"] == model) & (widths["target_flops_reduction"] == rate)
            ]
            offsets = np.linspace(-0.2, 0.2, len(variants))
            for offset, variant in zip(offsets, variants):
                stats = (
                    panel[panel["variant"] == variant]
                    .groupby("layer_index")["kept_fraction"]
                    .agg(["mean", "min", "max"])
                )
                if stats.empty:
                    continue
                ax.bar(
                    stats.index + offset,
                    stats["mean"],
                    width=0.4 * 2 / len(variants),
                    label=LABELS[variant],
                    yerr=[stats["mean"] - stats["min"], stats["max"] - stats["mean"]],
                    capsize=2,
                )
            ax.set(xlabel="prunable layer (network order)", ylabel="fraction of channels kept", ylim=(0, 1.05))
            ax.set_title(f"{dataset} / {model}, p = {1 - rate:.2g} of the prunable FLOPs", fontsize=10)
            ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def search_accuracy(curves: pd.DataFrame) -> plt.Figure:
    """002-F4 (the document's Fig. 4): held-out accuracy of the hard masks during the search, seed mean with the range
    over seeds shaded; one row per FLOPs budget and (dataset, model), one column per comparison (F4_COMPARISONS)."""
    panels = [(d, m, r) for (d, m), group in curves.groupby(["dataset", "model"]) for r in _rates(group)]
    fig, axes = plt.subplots(
        len(panels), len(F4_COMPARISONS), figsize=(4.2 * len(F4_COMPARISONS), 3.0 * len(panels)), squeeze=False
    )
    for row, (dataset, model, rate) in enumerate(panels):
        panel = curves[
            (curves["dataset"] == dataset) & (curves["model"] == model) & (curves["target_flops_reduction"] == rate)
        ]
        for col, (title, variants) in enumerate(F4_COMPARISONS.items()):
            ax = axes[row, col]
            for variant in variants:
                stats = (
                    panel[panel["variant"] == variant].groupby("epoch")["heldout_accuracy"].agg(["mean", "min", "max"])
                )
                if stats.empty:
                    continue
                line = ax.plot(stats.index, 100 * stats["mean"], lw=1.3, label=LABELS[variant])[0]
                ax.fill_between(
                    stats.index, 100 * stats["min"], 100 * stats["max"], color=line.get_color(), alpha=0.2, lw=0
                )
            ax.set(xlabel="search epoch", ylabel="held-out accuracy (%)")
            ax.set_title(f"{title}: {dataset}/{model}, p = {1 - rate:.2g}", fontsize=9)
            ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
