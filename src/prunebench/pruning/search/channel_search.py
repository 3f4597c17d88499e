"""The search stage on a real network: a structured-search method's gates over the channels of the network's
prunable layers (`ChannelSpace`), its FLOPs model fitted from the space's own FLOPs count (one source of truth with the
one-shot channel criteria: same layers, same count, same `budget_scope`), and the searched channels as the parameter
masks the slim stage takes.

Each prunable layer's channels are gated on the activated feature: at the input of every module consuming them (a
ResNet block's second conv; a MobileNet block's project conv, after the depthwise BatchNorm and its activation; the
next Linear of an MLP; a squeeze-excitation's first conv too). A closed gate then zeroes exactly what slimming removes,
so the gated network is the slimmed one, and a closed channel still gets a loss gradient (gating before the ReLU would
give it none: ReLU'(0) = 0). Where a consumer does not take the channels whole on dimension 1 (a Linear after a
flatten), the gate falls back to the output of the last BatchNorm producing the channels (ReLU, ReLU6 and Hardswish
keep a zero), or of the last module producing them where no BatchNorm does.
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
from prunebench.pruning.search.gating import GatePoint
from prunebench.pruning.search.loop import SearchSettings, search, search_data
from prunebench.pruning.search.projection import project_to_budget


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


def takes_whole(module: nn.Module, channels: int) -> bool:
    """Whether `module`'s input carries exactly these channels on dimension 1."""
    if isinstance(module, nn.Conv2d):
        return module.in_channels == channels
    return isinstance(module, nn.Linear) and module.in_features == channels


def gate_points(space: ChannelSpace, layer: str) -> list[GatePoint]:
    """Where `layer`'s gate multiplies its channels (the module docstring): the inputs of its consumers, else the
    output of `gate_module`."""
    consumers = space.consumes[layer]
    if consumers and all(takes_whole(space.modules[name], space.channels[layer]) for name in consumers):
        return [(name, "input") for name in consumers]
    return [(gate_module(space, layer), "output")]


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
    gates = {layer: space.channels[layer] for layer in space.layers}
    points = {layer: gate_points(space, layer) for layer in space.layers}
    flops = space_flops_model(space)
    pruning_method = PRUNING_METHODS[method](method_params(method, params))
    subsets = search_data(data, settings.prune_size, seed)
    result = search(model, gates, flops, subsets, pruning_method, flops_kept, settings, seed, record_divergence, points)
    offset, budget = budget_flops(flops, flops_kept, pruning_method.params.budget_scope)
    found = {layer: int(kept.sum()) for layer, kept in result.masks.items()}
    keep = result.masks
    if settings.project_to_budget:
        keep = project_to_budget(space, keep, result.scores, offset + budget)
    widths = {layer: int(kept.sum()) for layer, kept in keep.items()}
    searched, found_flops = float(space.flops(widths)), float(space.flops(found))
    dense, fixed = float(space.flops()), float(space.flops({layer: 0 for layer in space.layers}))
    renamed = {f"kept_{i}": f"kept_{layer}" for i, layer in enumerate(space.layers)}
    history = [{renamed.get(key, key): value for key, value in row.items()} for row in result.history]
    record = {
        "selected_epoch": result.selected_epoch,
        "flops_kept": flops_kept,
        "budget_scope": pruning_method.params.budget_scope,
        "budget_flops": offset + budget,
        "dense_flops": dense,
        "searched_flops": searched,  # of the widths kept (after the projection, if any)
        "within_budget": searched <= (offset + budget) * (1 + 1e-9),
        "search_flops": found_flops,  # of the widths the search itself ended with
        "search_prunable_flops_reduction": (dense - found_flops) / (dense - fixed),
        "search_within_budget": found_flops <= (offset + budget) * (1 + 1e-9),
        "projected": widths != found,
        "search_widths": found,
        "widths": widths,
        "channels": dict(space.channels),
        "gates": {layer: [f"{name} ({side})" for name, side in pts] for layer, pts in points.items()},
    }
    return ChannelSearch(space.parameter_masks(keep), history, record, result.failed)
