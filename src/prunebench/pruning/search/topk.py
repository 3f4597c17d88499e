"""Top-k channel masks of DDNP (Gao, Huang, Zhang & Huang, "Disentangled Differentiable Network Pruning", ECCV 2022):
the hard mask of Eq. 2 and the soft mask of Section 3.3 (the smoothstep of Eq. 7), with the straight-through gradient
of the importance scores (dJ/ds = dJ/da).

Sorted positions are read at channel centres: the channel ranked j (0 = most important) sits at x = j + 1/2, so the
mask falls to 1/2 exactly at x = C k. Then the soft mask sums to C k (the condition Sum a_i ~ C k the document asks of
it), and the window shrinking to nothing (gamma = 0, the document's "hard setting") gives exactly the hard mask of
round(C k) channels.
"""

from __future__ import annotations

import torch


def window(channels: int, fraction: float) -> int:
    """gamma of Eq. 7 for a layer of `channels`: round(fraction * C_l) (the document: fraction 0.1)."""
    return round(fraction * channels)


def smoothstep(x: torch.Tensor, centre: torch.Tensor | float, gamma: float) -> torch.Tensor:
    """Eq. 7: 0 below centre - gamma/2, 1 above centre + gamma/2, a cubic in between (gamma > 0)."""
    d = (x - centre).clamp(-gamma / 2, gamma / 2)
    return -2.0 / gamma**3 * d**3 + 1.5 / gamma * d + 0.5


def kept_channels(channels: int, k: torch.Tensor | float) -> int:
    """round(C_l k_l), at least one channel (a layer without channels would cut the network)."""
    return max(1, int(torch.round(torch.as_tensor(k, dtype=torch.float64) * channels)))


def adjusted_window(channels: int, ck: float, gamma: int) -> int:
    """The window near the ends of the layer. Near k = 1 the window would reach past the last channel and the soft
    mask would no longer sum to C k: the document sets gamma to round(C - C k) there. The mirror case near k = 0
    (the document is silent on it) is treated alike: gamma = round(C k)."""
    if ck + gamma / 2 > channels:
        gamma = round(channels - ck)
    if ck - gamma / 2 < 0:
        gamma = round(ck)
    return max(gamma, 0)


def sorted_soft_mask(channels: int, k: torch.Tensor, gamma: int) -> torch.Tensor:
    """The soft mask in importance order (a~ of Section 3.3): 1 - smoothstep of the channel centres, centred at C k
    (the document's Fig. 2: the first channels kept, the window falling from 1 to 0). gamma = 0: the hard mask."""
    ck = k * channels
    gamma = adjusted_window(channels, float(ck.detach()), gamma)
    positions = torch.arange(channels, dtype=k.dtype, device=k.device) + 0.5
    if gamma == 0:
        return (torch.arange(channels, device=k.device) < kept_channels(channels, k.detach())).to(k.dtype)
    return 1.0 - smoothstep(positions, ck, float(gamma))


def in_channel_order(scores: torch.Tensor, sorted_mask: torch.Tensor) -> torch.Tensor:
    """P^T a~: a mask given in decreasing order of `scores` (no gradient through the sort) put back in channel order,
    differentiable in `sorted_mask`."""
    order = torch.sort(scores.detach(), descending=True, stable=True).indices
    return torch.empty_like(sorted_mask).scatter(0, order, sorted_mask)


def soft_topk_mask(
    scores: torch.Tensor, k: torch.Tensor, gamma: int, through: torch.Tensor | None = None
) -> torch.Tensor:
    """a = P^T a~: the soft mask put back in channel order (P sorts `scores` in decreasing order), with the
    straight-through estimator of Section 3.4: the forward value is the mask, dJ/ds = dJ/da for s = `through`
    (default: the scores themselves). Differentiable in `k` through the window (pass k.detach() to keep the loss from
    reaching the width)."""
    mask = in_channel_order(scores, sorted_soft_mask(scores.numel(), k, gamma).to(scores.dtype))
    through = scores if through is None else through
    return mask + through - through.detach()


def hard_topk_mask(scores: torch.Tensor, k: torch.Tensor | float) -> torch.Tensor:
    """Eq. 2 with round(C k) channels (at least one): True for the channels of highest score."""
    keep = kept_channels(scores.numel(), k)
    order = torch.sort(scores.detach(), descending=True, stable=True).indices
    mask = torch.zeros(scores.numel(), dtype=torch.bool, device=scores.device)
    mask[order[:keep]] = True
    return mask
