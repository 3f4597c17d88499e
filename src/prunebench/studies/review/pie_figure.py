"""003-F7: a grid of PIE test images with their true, dense-modal and pruned-modal labels; the PIE count per
sparsity; per class, the change of recall minus accuracy from the dense to the pruned population, significance marked.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from prunebench.studies.review.pie import SIGNIFICANCE


def pie_figure(
    images: torch.Tensor,
    pies: pd.DataFrame,
    counts: pd.DataFrame,
    classes_table: pd.DataFrame,
    classes: list[str],
    grid: int,
    model: str,
) -> plt.Figure:
    """`images`: the test images (uint8 [N, C, H, W]); `pies`: every PIE (pie_summary); the grid shows the first
    `grid` PIEs of the highest sparsity."""
    top = float(counts["sparsity"].max())
    shown = pies[pies["sparsity"] == top].head(grid)
    columns = 8
    rows = max(1, -(-len(shown) // columns))
    fig = plt.figure(figsize=(16, 2.1 * rows + 4.8))
    outer = fig.add_gridspec(2, 1, height_ratios=[2.1 * rows, 4.8], hspace=0.35)
    cells = outer[0].subgridspec(rows, columns, hspace=0.9)
    for i, pie in enumerate(shown.itertuples()):
        ax = fig.add_subplot(cells[i // columns, i % columns])
        image = images[pie.image].float().div(255).permute(1, 2, 0).squeeze(-1).numpy()
        ax.imshow(image, cmap="gray" if image.ndim == 2 else None)
        ax.set_title(
            f"true: {classes[pie.true]}\ndense: {classes[pie.dense_modal]}\npruned: {classes[pie.pruned_modal]}",
            fontsize=7,
        )
        ax.axis("off")
    if shown.empty:
        ax = fig.add_subplot(cells[0, :])
        failed = counts.loc[counts["sparsity"] == top, "failed"].iloc[0]
        ax.text(
            0.5,
            0.5,
            f"sparsity {top:g}: failed ({failed})" if failed else f"no PIE at sparsity {top:g}",
            ha="center",
            va="center",
            wrap=True,
        )
        ax.axis("off")
    bottom = outer[1].subgridspec(1, 2, width_ratios=[1, 2.4], wspace=0.25)
    ax = fig.add_subplot(bottom[0])
    ax.bar(range(len(counts)), counts["pie_count"], color="tab:red")
    ax.set_xticks(range(len(counts)), [f"{s:g}" for s in counts["sparsity"]])
    ax.set(xlabel="sparsity", ylabel="PIE count (test images)", title="PIEs per sparsity")
    ax = fig.add_subplot(bottom[1])
    sparsities = sorted(classes_table["sparsity"].unique())
    width = 0.8 / len(sparsities)
    x = np.arange(len(classes))
    for j, s in enumerate(sparsities):
        part = classes_table[classes_table["sparsity"] == s].set_index("class").loc[classes]
        bars = ax.bar(x + j * width, part["change"], width, label=f"sparsity {s:g}")
        for bar, significant in zip(bars, part["significant"]):
            if pd.notna(significant) and significant:  # missing for a failed population
                height = bar.get_height()
                ax.annotate(
                    "*",
                    (bar.get_x() + bar.get_width() / 2, height),
                    ha="center",
                    va="bottom" if height >= 0 else "top",
                    fontsize=11,
                )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(x + 0.4 - width / 2, classes, rotation=30, ha="right", fontsize=8)
    ax.set(
        ylabel="change of recall minus accuracy (points)",
        title=f"per class, pruned minus dense population (* Welch p < {SIGNIFICANCE:g})",
    )
    ax.legend(fontsize=7)
    n = int(counts["models_per_population"].iloc[0])
    fig.suptitle(
        f"003-F7: pruning identified exemplars ({model}; {n} models per population, the paper: 30); grid: PIEs at"
        f" sparsity {top:g}",
        fontsize=11,
    )
    return fig
