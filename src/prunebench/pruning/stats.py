"""What a set of masks did to a network: per-layer sparsity and how eliminated weights compare to survivors."""
from __future__ import annotations

import torch
from scipy.stats import ks_2samp


def mask_stats(weights: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]) -> list[dict]:
    """One row per pruned layer. `ks_statistic` is the two-sample Kolmogorov-Smirnov distance between the
    |w| of eliminated and of surviving weights: 1 when pruning cuts strictly by magnitude, near 0 when it
    eliminates weights at random with respect to magnitude (004, Theorem 1)."""
    rows = []
    for name, mask in masks.items():
        magnitude = weights[name].detach().abs().flatten().cpu().numpy()
        keep = mask.flatten().bool().cpu().numpy()
        eliminated, surviving = magnitude[~keep], magnitude[keep]
        both = len(eliminated) > 0 and len(surviving) > 0
        rows.append(
            {
                "layer": name,
                "weights": int(keep.size),
                "pruned": int((~keep).sum()),
                "sparsity": float((~keep).mean()),
                "ks_statistic": float(ks_2samp(eliminated, surviving).statistic) if both else None,
                "mean_abs_eliminated": float(eliminated.mean()) if len(eliminated) else None,
                "mean_abs_surviving": float(surviving.mean()) if len(surviving) else None,
            }
        )
    return rows
