"""003-F2 (winning ticket vs random re-init at a low and a high learning rate) and 003-F6 (magnitude pruning vs
scratch-E / scratch-B vs lottery ticket): test accuracy against the fraction of weights remaining / sparsity."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FixedLocator, NullLocator

from prunebench.studies.review.tickets import F2_NAMES, F6_NAMES

F2_STYLE = {"rewind": "tab:blue", "reinit": "tab:orange"}
SCHEDULE_STYLE = {"iterative": ("-", "o"), "oneshot": ("--", "s")}
F6_STYLE = {
    "magnitude": ("tab:blue", "o"),
    "rewind": ("tab:green", "^"),
    "reinit": ("tab:orange", "s"),
    "scratch_b": ("tab:red", "D"),
    "random_masks": ("tab:gray", "v"),
}


def _seed_means(part: pd.DataFrame, by: str, x: str) -> pd.DataFrame:
    return (
        part.groupby(by).agg(x=(x, "mean"), y=("test_accuracy", "mean"), yerr=("test_accuracy", "std")).sort_values("x")
    )


def level_ticks(ax: plt.Axes, remaining: list[float]) -> None:
    """Label a log x axis at the levels drawn (% of weights remaining: 50, 25, 12.5, to 3 significant digits), and
    nowhere else."""
    levels = sorted({float(f"{x:.3g}") for x in remaining}, reverse=True)
    ax.xaxis.set_major_locator(FixedLocator(levels))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{x:g}" for x in levels])


def winning_ticket_figure(tickets: pd.DataFrame, model: str) -> plt.Figure:
    """One panel per learning rate: ticket and re-init, iterative (solid) and one-shot (dashed), against the
    fraction of weights remaining (log scale, sparser to the right, ticks at the levels drawn); the dense runs as a
    dashed line."""
    rates = sorted(tickets["lr"].unique())
    fig, axes = plt.subplots(1, len(rates), figsize=(6 * len(rates), 4.5), sharey=False, squeeze=False)
    seeds = tickets["seed"].nunique()
    for ax, lr in zip(axes[0], rates):
        part = tickets[tickets["lr"] == lr].assign(remaining=lambda f: 100 * (1 - f["sparsity"]))
        drawn = []
        for schedule, (ls, marker) in SCHEDULE_STYLE.items():
            for arm, color in F2_STYLE.items():
                points = _seed_means(part[(part["schedule"] == schedule) & (part["arm"] == arm)], "level", "remaining")
                drawn += points["x"].tolist()
                ax.errorbar(
                    points["x"],
                    points["y"],
                    yerr=points["yerr"].fillna(0),
                    color=color,
                    ls=ls,
                    marker=marker,
                    capsize=3,
                    label=f"{F2_NAMES[arm]}, {schedule}",
                )
        ax.axhline(part[part["arm"] == "dense"]["test_accuracy"].mean(), color="black", ls=":", lw=1, label="dense")
        ax.set_xscale("log")
        level_ticks(ax, drawn)
        ax.invert_xaxis()
        ax.set(xlabel="weights remaining (%)", ylabel="test accuracy (%)", title=f"learning rate {lr:g}")
        ax.legend(fontsize=7)
    fig.suptitle(
        f"003-F2: winning ticket vs random re-initialization ({model}; {seeds} seed{'s' if seeds > 1 else ''}, bars:"
        " one std)",
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def scratch_figure(scratch: pd.DataFrame, model: str) -> plt.Figure:
    """Each arm's seed means per target sparsity against the achieved sparsity."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for arm, (color, marker) in F6_STYLE.items():
        points = _seed_means(scratch[scratch["arm"] == arm], "target", "sparsity")
        ax.errorbar(
            points["x"],
            points["y"],
            yerr=points["yerr"].fillna(0),
            color=color,
            marker=marker,
            capsize=3,
            label=F6_NAMES[arm],
        )
    seeds = scratch["seed"].nunique()
    ax.set(xlabel="sparsity (fraction of weights removed)", ylabel="test accuracy (%)")
    ax.set_title(
        f"003-F6: magnitude pruning vs scratch training vs lottery ticket\n{model}, masks of the magnitude runs;"
        f" {seeds} seed{'s' if seeds > 1 else ''} (bars: one std)",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return fig
