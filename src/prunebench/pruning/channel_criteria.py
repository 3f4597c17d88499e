"""One-shot channel criteria at a FLOPs budget: which output channels of each prunable layer to keep.

For these methods the prune stage's sparsity is the fraction of FLOPs removed, 1 - p, where p is the fraction kept:
DDNP's budget p T_total, with T_total "the total prunable FLOPs" (the document, Eq. 10), i.e. the FLOPs that the
prunable widths change (`budget_scope: prunable`, the default, as the DDNP/DP search), or of the whole network
(`total`); FLOPs of the Conv2d and Linear layers as torch.utils.flop_counter counts them, of the network slimmed to
the kept widths.

Widths: every prunable layer keeps the same fraction r of its channels (round(r C_l), at least 1), r the largest for
which the slimmed network fits the budget, found by bisection. That is Li et al. 2017's one-rate scheme (their
ResNet-56-A prunes one fraction of every block's first conv); their sensitivity-chosen per-layer rates (ResNet-56-B)
are not modelled. Which channels: the highest scores of the method, per layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from prunebench.pruning.channels import ChannelMask, ChannelSpace
from prunebench.pruning.methods import PRUNING_METHODS, PruningMethod

BISECTION_STEPS = 60
BUDGET_SCOPES = ("prunable", "total")


@dataclass(frozen=True)
class ChannelParams:
    budget_scope: str = "prunable"  # p of the FLOPs the prunable widths change (the document) or of all FLOPs

    def __post_init__(self):
        if self.budget_scope not in BUDGET_SCOPES:
            raise ValueError(f"budget_scope: {self.budget_scope!r} is not one of {list(BUDGET_SCOPES)}")


class ChannelCriterion(PruningMethod):
    """`importance` gives one score per output channel of a prunable layer; the lowest are removed."""

    structure = "channel"
    Params = ChannelParams


@PRUNING_METHODS.register("uniform_channels")
class UniformChannels(ChannelCriterion):
    """Uniform width: every layer at the same kept fraction, the kept channels drawn at random (pruning stream)."""

    def importance(self, weight, context):
        return torch.rand(weight.shape[0], generator=context.generator)


@PRUNING_METHODS.register("l1_filter")
class L1Filter(ChannelCriterion):
    """Li, Kadav, Durdanovic, Samet & Graf, "Pruning Filters for Efficient ConvNets", 2017: remove the filters of
    smallest sum of absolute kernel weights, at the uniform width of the FLOPs budget."""

    def importance(self, weight, context):
        return weight.detach().abs().flatten(1).sum(1)


def uniform_widths(space: ChannelSpace, flops_kept: float, budget_scope: str = "prunable") -> dict[str, int]:
    """The widths round(r C_l) (at least 1) of the largest r whose network keeps at most `flops_kept` of the dense
    network's FLOPs (`total`) or of the FLOPs its prunable widths change (`prunable`)."""
    fixed = space.flops({layer: 0 for layer in space.layers}) if budget_scope == "prunable" else 0
    target = fixed + flops_kept * (space.flops() - fixed)

    def widths(ratio: float) -> dict[str, int]:
        return {layer: max(1, math.floor(ratio * c + 0.5)) for layer, c in space.channels.items()}

    if space.flops(widths(1.0)) <= target:
        return widths(1.0)
    if space.flops(widths(0.0)) > target:
        floor = (space.flops(widths(0.0)) - fixed) / (space.flops() - fixed)
        raise ValueError(
            f"FLOPs budget p = {flops_kept:g} is out of reach: with one channel per prunable layer the network keeps "
            f"{floor:.3f} of its {budget_scope} FLOPs"
        )
    low, high = 0.0, 1.0
    for _ in range(BISECTION_STEPS):
        middle = (low + high) / 2
        low, high = (middle, high) if space.flops(widths(middle)) <= target else (low, middle)
    return widths(low)


def top_channels(scores: dict[str, torch.Tensor], widths: dict[str, int]) -> ChannelMask:
    """Per layer, the `widths[layer]` channels of highest score (ties: the earlier channel is kept)."""
    keep = {}
    for layer, s in scores.items():
        order = torch.argsort(-s.float(), stable=True)
        kept = torch.zeros(len(s), dtype=torch.bool)
        kept[order[: widths[layer]]] = True
        keep[layer] = kept
    return keep
