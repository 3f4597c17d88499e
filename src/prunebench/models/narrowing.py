"""A network at other widths: output channels of its layers removed with every parameter they couple (through
Torch-Pruning's DependencyGraph: a conv's filters, its BatchNorm, a depthwise conv, the next layer's input channels,
through flattening and residual additions). Nothing here knows an architecture or why channels are removed
(`prunebench.pruning.slimming` decides that from masks); `narrow_to_widths` rebuilds a slimmed network's shapes.
"""

from __future__ import annotations

import logging
import warnings

import torch
import torch_pruning as tp
from torch import nn


def out_channels(module: nn.Module) -> int:
    """The output channels of a Conv2d or Linear layer."""
    return module.out_channels if isinstance(module, nn.Conv2d) else module.out_features


def dependency_graph(model: nn.Module, input_shape: tuple[int, ...]) -> tp.DependencyGraph:
    """Torch-Pruning's graph of `model`, traced on one zero example in eval mode (BatchNorm statistics untouched)."""
    device = next(model.parameters()).device
    training = model.training
    model.eval()
    with warnings.catch_warnings(), torch.enable_grad():
        warnings.simplefilter("ignore")
        logging.getLogger("torch_pruning").setLevel(logging.ERROR)
        graph = tp.DependencyGraph().build_dependency(
            model, example_inputs=torch.zeros((1, *input_shape), device=device), verbose=False
        )
    model.train(training)
    return graph


def channel_group(graph: tp.DependencyGraph, module: nn.Module, idxs: list[int]):
    return graph.get_pruning_group(module, graph.get_pruner_of_module(module).prune_out_channels, idxs=idxs)


def remove_channels(model: nn.Module, input_shape: tuple[int, ...], keep: dict[str, torch.Tensor]) -> nn.Module:
    """Remove, in place, every output channel `keep` ({layer: bool vector, True = kept}) marks False, with all of its
    couplings."""
    graph = dependency_graph(model, input_shape)
    modules = dict(model.named_modules())
    for layer, kept in keep.items():
        removed = torch.nonzero(~kept.cpu()).flatten().tolist()
        if removed:
            channel_group(graph, modules[layer], removed).prune()
    return model


def narrow_to_widths(model: nn.Module, widths: dict[str, int], input_shape: tuple[int, ...]) -> nn.Module:
    """`model` (dense, freshly built) narrowed in place to `widths` ({layer: output channels kept}): the shapes a
    slimmed checkpoint's state dict fits."""
    modules = dict(model.named_modules())
    keep = {}
    for layer, width in widths.items():
        if not isinstance(modules.get(layer), (nn.Conv2d, nn.Linear)):
            raise ValueError(f"slimmed width for {layer!r}: not a Conv2d or Linear layer of this model")
        keep[layer] = torch.arange(out_channels(modules[layer])) < width
    return remove_channels(model, input_shape, keep)
