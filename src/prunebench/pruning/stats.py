"""What a set of masks removed: per-layer counts and sparsity (written by every prune job)."""

from __future__ import annotations

import torch


def mask_stats(masks: dict[str, torch.Tensor]) -> list[dict]:
    """One row per pruned layer: its weights, how many are pruned, and the fraction."""
    rows = []
    for name, mask in masks.items():
        pruned = int((mask == 0).sum())
        rows.append({"layer": name, "weights": mask.numel(), "pruned": pruned, "sparsity": pruned / mask.numel()})
    return rows
