"""004's Theorem 1, measured: how the magnitudes of the weights a mask eliminates compare to the survivors'."""

from __future__ import annotations

import torch
from scipy.stats import ks_2samp

from prunebench.pruning import mask_stats


def elimination_stats(weights: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]) -> list[dict]:
    """mask_stats per pruned layer, plus `ks_statistic`: the two-sample Kolmogorov-Smirnov distance between the |w|
    of eliminated and of surviving weights (1 when pruning cuts strictly by magnitude, near 0 when it eliminates
    weights at random with respect to magnitude), and the mean |w| of each group."""
    rows = []
    for row in mask_stats(masks):
        magnitude = weights[row["layer"]].detach().abs().flatten().cpu().numpy()
        keep = masks[row["layer"]].flatten().bool().cpu().numpy()
        eliminated, surviving = magnitude[~keep], magnitude[keep]
        both = len(eliminated) > 0 and len(surviving) > 0
        rows.append(
            {
                **row,
                "ks_statistic": float(ks_2samp(eliminated, surviving).statistic) if both else None,
                "mean_abs_eliminated": float(eliminated.mean()) if len(eliminated) else None,
                "mean_abs_surviving": float(surviving.mean()) if len(surviving) else None,
            }
        )
    return rows
