"""FLOPs of a network as a differentiable function of the widths of its prunable layers, and the FLOPs regularizer
of DDNP's Eq. 10, R(T, pT) = log(max(T, pT) / pT).

With w_l channels kept in prunable layer l, every convolution or linear layer costs (input channels) x (output
channels) x (a constant), so the network's FLOPs are
    T(w) = constant + Sum_l a_l w_l + Sum_(l, m) b_lm w_l w_m,
with a pair term where one prunable layer feeds the next directly (a plain chain of gated convolutions); in a ResNet
basic block gated after its first convolution, or a MobileNetV2 block gated on its expanded width, every term is
linear. The coefficients are read off a FLOPs count of the real network (torch.utils.flop_counter on the physically
slimmed module, or on the module built at those widths) at 2L + 1 widths, then checked at one more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch

REGULARIZERS = ("one_sided", "two_sided")
BUDGET_SCOPES = ("prunable", "total")

# FLOPs of one example's forward pass at the given per-layer widths (channels kept), e.g.
# lambda widths: forward_flops(slim(model, widths), input_shape)
FlopsCount = Callable[[list[int]], float]


@dataclass(frozen=True)
class FlopsModel:
    channels: tuple[int, ...]  # C_l: the full width of each prunable layer
    constant: float  # FLOPs that no prunable width changes (stem, classifier, residual layers)
    linear: tuple[float, ...]  # a_l: FLOPs per kept channel of layer l
    pairs: tuple[tuple[int, int, float], ...] = ()  # (l, m, b_lm): FLOPs per kept channel pair of layers l and m

    def __call__(self, widths: torch.Tensor) -> torch.Tensor:
        """T(w) for widths w (channels, real-valued: C_l k_l while searching), differentiable in w."""
        flops = self.constant + (torch.as_tensor(self.linear, dtype=widths.dtype, device=widths.device) * widths).sum()
        for l, m, b in self.pairs:
            flops = flops + b * widths[l] * widths[m]
        return flops

    @property
    def full(self) -> float:
        return float(self(torch.tensor(self.channels, dtype=torch.float64)))

    @property
    def prunable(self) -> float:
        """The FLOPs the prunable widths decide: T(full widths) - T(no channels)."""
        return self.full - self.constant

    @classmethod
    def fit(cls, count: FlopsCount, channels: list[int]) -> "FlopsModel":
        """Coefficients from `count` at the full widths, each layer halved alone, and each consecutive pair halved
        together; raises if the model does not reproduce `count` at a further width (a coupling it cannot express)."""
        if min(channels) < 2:
            raise ValueError(f"every prunable layer needs at least 2 channels to be measured, got {list(channels)}")
        full = list(channels)
        halved = [c // 2 for c in channels]
        step = [h - c for h, c in zip(halved, channels)]

        def count_with(changed: dict[int, int]) -> float:
            return float(count([changed.get(l, c) for l, c in enumerate(full)]))

        base = count_with({})
        single = [count_with({l: halved[l]}) for l in range(len(full))]
        pairs = []
        for l in range(len(full) - 1):
            both = count_with({l: halved[l], l + 1: halved[l + 1]})
            b = (both - single[l] - single[l + 1] + base) / (step[l] * step[l + 1])
            if b != 0:
                pairs.append((l, l + 1, b))
        slope = [(single[l] - base) / step[l] for l in range(len(full))]  # a_l + Sum_m b_lm C_m
        linear = list(slope)
        for l, m, b in pairs:
            linear[l] -= b * full[m]
            linear[m] -= b * full[l]
        constant = base - sum(a * c for a, c in zip(linear, full)) - sum(b * full[l] * full[m] for l, m, b in pairs)
        model = cls(tuple(full), constant, tuple(linear), tuple(pairs))
        probe = [max(1, c // 3) for c in channels]
        expected, predicted = float(count(probe)), float(model(torch.tensor(probe, dtype=torch.float64)))
        if abs(expected - predicted) > 1e-6 * max(1.0, abs(expected)):
            raise ValueError(
                f"the FLOPs at widths {probe} are {expected:g}, the fitted per-layer model says {predicted:g}: the "
                "prunable layers interact beyond consecutive pairs"
            )
        return model


def flops_regularizer(flops: torch.Tensor, budget: float, form: str = "one_sided") -> torch.Tensor:
    """R of Eq. 10: log(max(T, pT) / pT), zero at or below the budget ("one_sided", the document); "two_sided":
    |log(T / pT)|, which also pushes T up to the budget from below (the authors' code penalizes both sides).
    One-sided as relu(log(T / pT)): its gradient at T = pT is 0 on every torch version and device (clamp's is not:
    torch 2.11 on CUDA passed it through)."""
    if form == "one_sided":
        return torch.relu(torch.log(flops / budget))
    if form == "two_sided":
        return torch.log(flops / budget).abs()
    raise ValueError(f"FLOPs regularizer: {form!r} is not one of {list(REGULARIZERS)}")


def budget_flops(model: FlopsModel, p: float, scope: str = "prunable") -> tuple[float, float]:
    """(offset, pT): the regularizer compares T(w) - offset with pT. "prunable" (the document: "T_total is the total
    prunable FLOPs"): the width-dependent FLOPs against p times their full value; "total": all FLOPs."""
    if not 0 < p <= 1:
        raise ValueError(f"FLOPs budget p={p} is not in (0, 1]")
    if scope == "prunable":
        return model.constant, p * model.prunable
    if scope == "total":
        return 0.0, p * model.full
    raise ValueError(f"FLOPs budget scope: {scope!r} is not one of {list(BUDGET_SCOPES)}")
