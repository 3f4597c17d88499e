"""The width mask and the gate noise of DDNP's released code (gaosh/DDNP, commit 5417577), read from its source:
models/k_gradients.py (`k_gradient`) and models/hypernet.py (`sample_gumbel`).

The width mask lists a layer's C channels in decreasing order of importance: 1 for the first round(C k) - h, a window
of 2h + 1 positions j around round(C k) valued by the cubic 1/2 + 3/2 t - 2 t^3 of t = (C k - j) / 2h clipped to
[0, 1] (the cubic itself, not a smoothstep held flat beyond the window: the code's `smoothstep`), 0 after it; the
half-window h = int(0.05 C) while training (0 for C < 20, where the mask is the hard top-k), narrowed at the ends of
the layer as the code does; then a floor added to every entry and the sum clipped at 1. Its backward pass is not the
derivative of that mask: it gives k the mean of the mask's gradient, as if every entry moved one for one with k, so
the loss reaches the width generator through the mask.
"""

from __future__ import annotations

import torch

GUMBEL_EPSILON = 1e-20  # models/hypernet.py, sample_gumbel


def sorted_width_mask(k: torch.Tensor, channels: int, half_window: int, floor: float) -> torch.Tensor:
    """The mask in importance order for the width k (a 0-dimensional tensor), without gradient (`WidthMask`)."""
    ck = k.detach() * channels
    kept = int(torch.round(ck))
    if half_window + kept >= channels:
        half_window = channels - kept - 1
    elif kept - half_window < 0:
        half_window = kept
    mask = torch.zeros(channels, dtype=k.dtype, device=k.device)
    if half_window <= 0:
        mask[:kept] = 1
    else:
        mask[: max(kept - half_window, 0)] = 1
        positions = torch.arange(kept - half_window, kept + half_window + 1, dtype=k.dtype, device=k.device)
        t = (ck - positions) / (2 * half_window)
        mask[kept - half_window : kept + half_window + 1] = (-2 * t**3 + 1.5 * t + 0.5).clamp(0, 1)
    return (mask + floor).clamp(max=1)


class WidthMask(torch.autograd.Function):
    """`sorted_width_mask` forward; backward: dJ/dk = the mean of dJ/d(mask) (k_gradient.backward)."""

    @staticmethod
    def forward(ctx, k: torch.Tensor, channels: int, half_window: int, floor: float) -> torch.Tensor:
        return sorted_width_mask(k, channels, half_window, floor)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        return grad.mean(), None, None, None


def width_mask(k: torch.Tensor, channels: int, half_window: int, floor: float) -> torch.Tensor:
    return WidthMask.apply(k, channels, half_window, floor)


def gumbel_noise(shape: torch.Size, noise: torch.Generator, dtype: torch.dtype) -> torch.Tensor:
    """Standard Gumbel samples -log(-log(u + eps) + eps), u ~ U(0, 1) from the `noise` stream (on the CPU)."""
    u = torch.rand(shape, generator=noise, dtype=dtype)
    return -torch.log(-torch.log(u + GUMBEL_EPSILON) + GUMBEL_EPSILON)
