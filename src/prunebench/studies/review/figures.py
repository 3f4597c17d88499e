"""003 part 1 figures: test accuracy against achieved sparsity per technique (003-F3..F5), and the published State
of Sparsity curves beside this run's (003-B2)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from prunebench.studies.review.published import MODELS as PUBLISHED_MODELS
from prunebench.studies.review.published import best_runs
from prunebench.studies.review.tables import NAMES

COLORS = {
    "magnitude": "tab:blue",
    "variational_dropout": "tab:orange",
    "l0": "tab:green",
    "random": "tab:gray",
    "extended_magnitude": "tab:purple",
}
MARKERS = {"magnitude": "o", "variational_dropout": "s", "l0": "^", "random": "v", "extended_magnitude": "D"}


def _draw_run(ax, runs: pd.DataFrame, dense: pd.DataFrame, techniques) -> None:
    """Each seed's run as a faint point; the seed means per sweep point joined, bars: one std on both axes."""
    for technique in techniques:
        part = runs[runs["technique"] == technique]
        ax.scatter(
            part["achieved_sparsity"],
            part["test_accuracy"],
            s=12,
            alpha=0.35,
            color=COLORS[technique],
            marker=MARKERS[technique],
        )
        points = (
            part.groupby("target")
            .agg(
                x=("achieved_sparsity", "mean"),
                xerr=("achieved_sparsity", "std"),
                y=("test_accuracy", "mean"),
                yerr=("test_accuracy", "std"),
            )
            .sort_values("x")
        )
        ax.errorbar(
            points["x"],
            points["y"],
            xerr=points["xerr"].fillna(0),
            yerr=points["yerr"].fillna(0),
            color=COLORS[technique],
            marker=MARKERS[technique],
            capsize=3,
            label=NAMES[technique],
        )
    mean, std = dense["test_accuracy"].mean(), dense["test_accuracy"].std()
    ax.axhline(mean, color="black", ls="--", lw=1, label="dense")
    if std == std:  # more than one seed
        ax.axhspan(mean - std, mean + std, color="black", alpha=0.08)
    ax.set(xlabel="achieved sparsity (fraction of weights removed)", ylabel="test accuracy (%)")


def accuracy_against_sparsity(
    runs: pd.DataFrame, dense: pd.DataFrame, model: str, techniques, title: str
) -> plt.Figure:
    """003-F3..F5: one model, the given techniques."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    _draw_run(ax, runs[runs["model"] == model], dense[dense["model"] == model], techniques)
    seeds = runs["seed"].nunique()
    ax.set_title(
        f"{title}\n{model}; {seeds} seed{'s' if seeds > 1 else ''} (faint: each seed; bars: one std)", fontsize=10
    )
    ax.legend(fontsize=8)
    return fig


def _draw_published(ax, published: pd.DataFrame, model: str) -> None:
    best = best_runs(published)
    for technique, part in best[best["model"] == model].groupby("technique", sort=False):
        part = part.sort_values("sparsity")
        ax.plot(
            part["sparsity"], part["value"], color=COLORS[technique], marker=MARKERS[technique], label=NAMES[technique]
        )
    l0_runs = published[
        (published["model"] == model)
        & (published["technique"] == "l0")
        & (published["selection"] != "best run at this sparsity")
    ]
    if len(l0_runs):
        ax.scatter(
            l0_runs["sparsity"],
            l0_runs["value"],
            s=8,
            alpha=0.4,
            color=COLORS["l0"],
            marker="x",
            label=f"L0 regularization: all {len(l0_runs)} runs",
        )
    dense = published[(published["model"] == model) & (published["technique"] == "dense")]["value"].mean()
    ax.axhline(dense, color="black", ls="--", lw=1, label="dense")
    ax.set(
        xlabel="sparsity",
        ylabel=PUBLISHED_MODELS[model].rsplit("(", 1)[1].rstrip(")"),
        title=f"published: {PUBLISHED_MODELS[model]}",
    )
    ax.legend(fontsize=7)


def published_beside_run(
    published: pd.DataFrame, runs: pd.DataFrame, dense: pd.DataFrame, figure_models: dict[str, str], techniques
) -> plt.Figure:
    """003-B2: the published best-run curves (Transformer: Figure 3; ResNet-50 with extended magnitude pruning and
    every L0 run: Figures 4-5), then this run's curves of the same techniques for the Figure 3 and Figure 4/5 models."""
    models = list(dict.fromkeys([figure_models["F3"], figure_models["F4"], figure_models["F5"]]))
    fig, axes = plt.subplots(1, 2 + len(models), figsize=(5.2 * (2 + len(models)), 4.5))
    _draw_published(axes[0], published, "transformer")
    _draw_published(axes[1], published, "resnet50")
    for ax, model in zip(axes[2:], models):
        _draw_run(ax, runs[runs["model"] == model], dense[dense["model"] == model], techniques)
        ax.set_title(f"this run: {model}")
        ax.legend(fontsize=7)
    for ax in axes[:2]:
        ax.set_xlim(0.45, 1.0)  # the published range; L0's runs below it sit at chance too
    fig.suptitle("State of Sparsity (Gale, Elsen & Hooker 2019): published results beside this run", fontsize=11)
    fig.tight_layout()
    return fig
