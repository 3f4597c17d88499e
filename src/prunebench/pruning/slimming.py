"""Physical slimming: the removed channels of a masked network taken out of every layer they couple (through
Torch-Pruning's DependencyGraph), giving a smaller network with the same outputs. Any model the graph can trace is
slimmed the same way; nothing here knows an architecture.

A slimmed network is stored as its dense spec plus the kept widths (`spec["widths"]`: {prunable layer: channels})
and its state dict: `prunebench.models.build_model` rebuilds the dense model and narrows it to those widths
(`prunebench.models.narrowing`), so checkpoints load with torch.load(weights_only=True), no pickled modules.
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from prunebench.models.narrowing import remove_channels
from prunebench.pruning.channels import ChannelSpace, widths_of


def slim(
    model: nn.Module, masks: dict[str, torch.Tensor], input_shape: tuple[int, ...]
) -> tuple[nn.Module, dict[str, int], dict[str, torch.Tensor]]:
    """(slimmed copy, its widths, the masks left on it).

    Removed: the channels of each prunable layer whose producing parameters `masks` zero entirely (see
    `ChannelSpace.kept_channels`); a layer with every channel masked keeps one (all zero), so no width is 0. The masks
    left are those of the remaining parameter entries that still hold a zero (empty after channel pruning; a weight
    mask inside kept channels stays, sliced to the new shapes), for fine-tuning with masks held."""
    space = ChannelSpace(model, input_shape)
    keep = space.kept_channels(masks)
    for layer, kept in keep.items():
        if not kept.any():
            keep[layer] = kept.clone()
            keep[layer][0] = True
    slimmed = remove_channels(copy.deepcopy(model), input_shape, keep)
    # The masks follow the parameters: a copy whose parameters hold the masks is slimmed the same way.
    mask_model = copy.deepcopy(model)
    with torch.no_grad():
        for name, param in mask_model.named_parameters():
            param.copy_(masks[name] if name in masks else torch.ones_like(param))
    remaining = {
        name: param.detach().cpu().clone()
        for name, param in remove_channels(mask_model, input_shape, keep).named_parameters()
        if name in masks and bool((param == 0).any())
    }
    return slimmed, widths_of(keep), remaining


def slimming_record(
    model: nn.Module, spec: dict, masks: dict[str, torch.Tensor]
) -> tuple[nn.Module, dict, dict[str, torch.Tensor], dict]:
    """The slim stage: (slimmed network, its spec with widths, the masks left on it, a record of the dense and slimmed
    widths, parameters and FLOPs, the FLOPs as predicted from the widths: torch.utils.flop_counter's count;
    `fixed_flops`:
    those no prunable width changes)."""
    input_shape = tuple(spec["input_shape"])
    slimmed, widths, remaining = slim(model, masks, input_shape)
    space = ChannelSpace(model, input_shape)
    record = {
        "channels": space.channels,
        "widths": widths,
        "dense_parameters": sum(p.numel() for p in model.parameters()),
        "slimmed_parameters": sum(p.numel() for p in slimmed.parameters()),
        "dense_flops": int(space.flops()),
        "slimmed_flops": int(space.flops(widths)),
        "fixed_flops": int(space.flops({layer: 0 for layer in space.layers})),
    }
    return slimmed, {**spec, "widths": widths}, remaining, record
