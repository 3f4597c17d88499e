"""The search stage on a real network: a structured-search method's gates over the channels of the network's
prunable layers (`ChannelSpace`), its FLOPs model fitted from the space's own FLOPs count (one source of truth with the
one-shot channel criteria: same layers, same count, same `budget_scope`), and the searched channels as the parameter
masks the slim stage takes.

Each prunable layer's channels are gated on the output of the last BatchNorm producing them (a ResNet block's BatchNorm
after its first conv; a MobileNet block's depthwise BatchNorm), or of the last module producing them where no
BatchNorm does (an MLP's Linear): a closed gate then zeroes exactly what slimming removes (ReLU, ReLU6 and Hardswish
keep a zero), so the gated network is the slimmed one. A later producing module need not carry the channel itself:
MobileNetV3's squeeze-excitation conv produces a scale per channel, and a zero there scales by hardsigmoid(0) = 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.data import PreparedData
from prunebench.pruning.channels import ChannelSpace
from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.params import method_params
from prunebench.pruning.search.flops import FlopsModel, budget_flops
from prunebench.pruning.search.loop import SearchSettings, search, search_data


@dataclass
class ChannelSearch:
    masks: dict[str, torch.Tensor]  # parameter masks (0/1) removing the searched-out channels
    history: list[dict]  # the search loop's rows, `kept_<l>` renamed `kept_<prunable layer>`
    record: dict  # selected epoch, budget, FLOPs of the selected widths, widths
    failed: str | None = None  # why the search stopped early (prunebench.pruning.search.loop.search)


def gate_module(space: ChannelSpace, layer: str) -> str:
    """The last BatchNorm, in the network's order, producing `layer`'s channels; without one, the last module."""
    order = {name: i for i, name in enumerate(space.modules)}
    batchnorms = [
        name for name in space.produces[layer] if isinstance(space.modules[name], nn.modules.batchnorm._BatchNorm)
    ]
    return max(batchnorms or space.produces[layer], key=order.__getitem__)


def space_flops_model(space: ChannelSpace) -> FlopsModel:
    """The search's FLOPs model read off the space's FLOPs count (exact: both are polynomials of the widths; the fit
    checks itself at a further width)."""
    return FlopsModel.fit(
        lambda widths: float(space.flops(dict(zip(space.layers, widths)))), [space.channels[l] for l in space.layers]
    )


def search_channels(
    model: nn.Module,
    input_shape: tuple[int, ...],
    data: PreparedData,
    method: str,
    params: dict,
    flops_kept: float,
    settings: SearchSettings,
    seed: int,
    layers: str = "all",
    record_divergence: bool = False,
) -> ChannelSearch:
    """Search `method` (a registered structured-search method with config `params`) on the frozen `model` at FLOPs
    budget `flops_kept` (p, the fraction kept) on a pruning subset of the training split, judged on the validation
    split. A diverging search raises TrainingDiverged, or with `record_divergence` says why it failed (`search`)."""
    space = ChannelSpace(model, input_shape, layers)
    gates = {gate_module(space, layer): space.channels[layer] for layer in space.layers}
    flops = space_flops_model(space)
    pruning_method = PRUNING_METHODS[method](method_params(method, params))
    subsets = search_data(data, settings.prune_size, seed)
    result = search(model, gates, flops, subsets, pruning_method, flops_kept, settings, seed, record_divergence)
    keep = {layer: result.masks[gate] for layer, gate in zip(space.layers, gates)}
    widths = {layer: int(kept.sum()) for layer, kept in keep.items()}
    offset, budget = budget_flops(flops, flops_kept, pruning_method.params.budget_scope)
    searched = float(space.flops(widths))
    renamed = {f"kept_{i}": f"kept_{layer}" for i, layer in enumerate(space.layers)}
    history = [{renamed.get(key, key): value for key, value in row.items()} for row in result.history]
    record = {
        "selected_epoch": result.selected_epoch,
        "flops_kept": flops_kept,
        "budget_scope": pruning_method.params.budget_scope,
        "budget_flops": offset + budget,
        "dense_flops": float(space.flops()),
        "searched_flops": searched,
        "within_budget": searched <= (offset + budget) * (1 + 1e-9),
        "widths": widths,
        "channels": dict(space.channels),
        "gates": dict(zip(space.layers, gates)),
    }
    return ChannelSearch(space.parameter_masks(keep), history, record, result.failed)
