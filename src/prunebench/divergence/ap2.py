"""AP2 (Definition 1 with the identity projection) and the grouping of a weight vector to a few dimensions."""

from __future__ import annotations

import torch


def ap2(dense: torch.Tensor, pruned: torch.Tensor) -> float:
    """Squared L2 distance ||w - w_pruned||^2 of the flattened weights (float64).

    Equals 2 * KL(N(w, I) || N(w_pruned, I)) (the Gaussian projection example of the document)."""
    diff = dense.detach().double().flatten() - pruned.detach().double().flatten()
    return float(diff.dot(diff))


def group_mean(weights: torch.Tensor, dims: int) -> torch.Tensor:
    """The flattened weights averaged over `dims` groups of consecutive entries (float64).

    Group sizes differ by at most one when the count is not a multiple of `dims` (torch.tensor_split)."""
    flat = weights.detach().double().flatten()
    if not 1 <= dims <= flat.numel():
        raise ValueError(f"cannot group {flat.numel()} weights into {dims} dimensions")
    if flat.numel() % dims == 0:
        return flat.view(dims, -1).mean(1)
    return torch.stack([part.mean() for part in torch.tensor_split(flat, dims)])
