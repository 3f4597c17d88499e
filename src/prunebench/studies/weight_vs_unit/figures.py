"""004 figures, each from the tables or runs of the study."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
import torch

from prunebench.studies.weight_vs_unit.elimination import elimination_stats

SPLIT_LABELS = {"train": "train", "val": "validation", "test": "test"}


def training_curves(histories: dict[int, pd.DataFrame]) -> plt.Figure:
    """004-F1: loss and accuracy per epoch on train and validation; the selected (best) epoch marked."""
    rows = []
    for seed, history in histories.items():
        for split in ("train", "val"):
            part = history[["epoch", f"{split}_loss", f"{split}_accuracy"]].copy()
            part.columns = ["epoch", "loss", "accuracy"]
            rows.append(part.assign(split=SPLIT_LABELS[split], seed=seed))
    frame = pd.concat(rows, ignore_index=True)
    frame["accuracy"] *= 100
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, metric, label in ((axes[0], "loss", "cross-entropy loss"), (axes[1], "accuracy", "accuracy (%)")):
        sns.lineplot(frame, x="epoch", y=metric, hue="split", marker="o", ax=ax, errorbar=("pi", 100))
        for history in histories.values():
            best = history.loc[history["val_loss"].idxmin()]
            ax.axvline(best["epoch"], color="grey", ls="--", lw=1)
        ax.set(xlabel="epoch", ylabel=label)
    best = {seed: h.loc[h["val_loss"].idxmin()] for seed, h in histories.items()}
    text = ", ".join(f"seed {s}: epoch {int(b['epoch'])}, val loss {b['val_loss']:.4f}" for s, b in best.items())
    fig.suptitle(f"Dense training (dashed: best epoch by validation loss; {text})", fontsize=10)
    return fig


def metrics_against_k(table: pd.DataFrame, variant: str, title: str) -> plt.Figure:
    """004-F2 / F3: loss and accuracy on validation and test against the pruned fraction k of one variant."""
    part = table[table["variant"] == variant]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, metric, label, scale in (
        (axes[0], "loss", "cross-entropy loss", 1),
        (axes[1], "accuracy", "accuracy (%)", 100),
    ):
        for split in ("val", "test"):
            mean = part[f"{split}_{metric}_mean"] * scale
            ax.plot(part["k_percent"], mean, marker="o", label=SPLIT_LABELS[split])
            std = part[f"{split}_{metric}_std"].fillna(0) * scale
            ax.fill_between(part["k_percent"], mean - std, mean + std, alpha=0.2)
        ax.set(xlabel="pruned fraction k of each layer (%)", ylabel=label)
        ax.legend()
    fig.suptitle(title)
    return fig


def magnitude_histograms(
    weights: dict[str, torch.Tensor], masks_by_variant: dict[str, dict[str, torch.Tensor]], k_percent: float
) -> plt.Figure:
    """004-F4: |w| of eliminated vs surviving weights, one row per pruned layer, one column per variant."""
    layers = list(next(iter(masks_by_variant.values())))
    fig, axes = plt.subplots(
        len(layers), len(masks_by_variant), figsize=(5 * len(masks_by_variant), 2.6 * len(layers)), squeeze=False
    )
    for col, (variant, masks) in enumerate(masks_by_variant.items()):
        stats = {row["layer"]: row for row in elimination_stats(weights, masks)}
        for row, layer in enumerate(layers):
            keep = masks[layer].flatten().bool()
            magnitude = weights[layer].detach().abs().flatten()
            frame = pd.DataFrame(
                {"|w|": magnitude.numpy(), "weights": ["surviving" if k else "eliminated" for k in keep.tolist()]}
            )
            ax = axes[row, col]
            sns.histplot(
                frame,
                x="|w|",
                hue="weights",
                hue_order=["eliminated", "surviving"],
                palette=["tab:red", "tab:green"],
                stat="density",
                common_norm=False,
                bins=60,
                element="step",
                ax=ax,
            )
            ks = stats[layer]["ks_statistic"]
            ax.set_title(
                f"{variant} pruning, {layer} (KS = {ks:.3f})" if ks is not None else f"{variant}, {layer}", fontsize=10
            )
            ax.set(xlabel="weight magnitude |w|", ylabel="density")
    fig.suptitle(f"Eliminated vs surviving weight magnitudes at k = {k_percent:g}%")
    fig.tight_layout()
    return fig


def forward_time_against_k(table: pd.DataFrame, batch_size: int) -> plt.Figure:
    """004-F5: median CPU forward time of one minibatch against k, per execution, one panel per variant."""
    variants = list(dict.fromkeys(table["variant"]))
    fig, axes = plt.subplots(1, len(variants), figsize=(5.5 * len(variants), 4), sharey=True, squeeze=False)
    for ax, variant in zip(axes[0], variants):
        part = table[table["variant"] == variant]
        for execution, rows in part.groupby("execution", sort=False):
            ax.errorbar(
                rows["k_percent"],
                rows["median_ms"],
                yerr=[rows["median_ms"] - rows["q25_ms"], rows["q75_ms"] - rows["median_ms"]],
                marker="o",
                capsize=3,
                label=execution,
            )
        ax.set(
            yscale="log",
            xlabel="pruned fraction k of each layer (%)",
            ylabel=f"forward time, batch of {batch_size} (ms)",
            title=f"{variant} pruning",
        )
        ax.legend(title="execution")
    fig.suptitle("CPU forward time (median, bars: interquartile range)")
    return fig


def protocol_choices(table: pd.DataFrame) -> plt.Figure:
    """004-B3: test accuracy against k under each protocol (one line per seed), one panel per variant."""
    frame = table.assign(
        accuracy=100 * table["test_accuracy"],
        protocol=[
            f"{p}: {i} init, {e} epochs, {s} checkpoint"
            for p, i, e, s in table[["protocol", "init", "epochs", "select"]].itertuples(index=False)
        ],
    )
    variants = list(dict.fromkeys(frame["variant"]))
    fig, axes = plt.subplots(1, len(variants), figsize=(6 * len(variants), 4.8), sharey=True, squeeze=False)
    for ax, variant in zip(axes[0], variants):
        sns.lineplot(
            frame[frame["variant"] == variant],
            x="k_percent",
            y="accuracy",
            hue="protocol",
            style="seed",
            markers=True,
            dashes=False,
            ax=ax,
            legend=ax is axes[0, -1],
        )
        ax.set(xlabel="pruned fraction k of each layer (%)", ylabel="test accuracy (%)", title=f"{variant} pruning")
    sns.move_legend(axes[0, -1], "upper left", bbox_to_anchor=(1.02, 1), fontsize=8, title_fontsize=8)
    fig.suptitle("Protocol choices the document leaves open, one changed at a time (one line per seed)")
    fig.tight_layout()
    return fig
