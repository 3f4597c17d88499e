"""One-shot channel criteria at a FLOPs budget: which output channels of each prunable layer to keep.

For these methods the prune stage's sparsity is the fraction of forward FLOPs removed, 1 - p, where p is the
fraction kept (DDNP's budget p T_total; FLOPs of the Conv2d and Linear layers as torch.utils.flop_counter counts
them, of the network slimmed to the kept widths). Widths: every prunable layer keeps the same fraction r of its
channels (round(r C_l), at least 1), r the largest for which the slimmed network fits the budget, found by bisection.
That is Li et al. 2017's one-rate scheme (their ResNet-56-A prunes one fraction of every block's first conv);
their sensitivity-chosen per-layer rates (ResNet-56-B) are not modelled. Which channels: the highest scores of the
method, per layer.
"""
from __future__ import annotations

import math

import torch

from prunebench.pruning.channels import ChannelMask, ChannelSpace
from prunebench.pruning.methods import PRUNING_METHODS, PruningMethod

BISECTION_STEPS = 60


class ChannelCriterion(PruningMethod):
    structure = "channel"

    def importance(self, weight, context) -> torch.Tensor:
        """One score per output channel of the layer; the lowest are removed."""
        raise NotImplementedError


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


def uniform_widths(space: ChannelSpace, flops_kept: float) -> dict[str, int]:
    """The widths round(r C_l) (at least 1) of the largest r whose network costs at most `flops_kept` of the dense
    network's FLOPs."""
    target = flops_kept * space.flops()

    def widths(ratio: float) -> dict[str, int]:
        return {layer: max(1, math.floor(ratio * c + 0.5)) for layer, c in space.channels.items()}

    if space.flops(widths(1.0)) <= target:
        return widths(1.0)
    if space.flops(widths(0.0)) > target:
        floor = space.flops(widths(0.0)) / space.flops()
        raise ValueError(
            f"FLOPs budget p = {flops_kept:g} is out of reach: with one channel per prunable layer the network keeps "
            f"{floor:.3f} of its FLOPs (the layers that are never pruned)"
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
