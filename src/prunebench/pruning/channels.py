"""Channels of a network: which layers' output channels may be pruned, the groups of parameters each channel couples
(Torch-Pruning's DependencyGraph: a conv's filters, its BatchNorm, a depthwise conv, the next layer's input channels,
through flattening and residual additions), and the FLOPs of the network as a function of its widths.

A channel mask, {prunable layer: bool vector over its output channels, True = kept}, is the interface between what to
remove (criteria, searches) and how (parameter masks for a masked network, `prunebench.pruning.slimming` for a
physically smaller one). A masked network zeroes every parameter entry that produces a removed channel (filter rows,
biases, BatchNorm scale and shift, depthwise filters), so its outputs are exactly those of the slimmed network.
"""

from __future__ import annotations

import torch
from torch import nn

from prunebench.models.narrowing import channel_group, dependency_graph, out_channels
from prunebench.pruning.layers import PRUNABLE_MODULES, select_layers

ChannelMask = dict[str, torch.Tensor]  # prunable layer -> bool [out channels], True = kept
# Modules whose every parameter is indexed by output channel along dim 0 (what a removed channel zeroes).
CHANNEL_MAJOR = (nn.Conv2d, nn.Linear, nn.BatchNorm1d, nn.BatchNorm2d)


def channel_prunable(model: nn.Module) -> list[str]:
    """The layers whose output channels may be removed, in order: the model's own `channel_prunable` list (CIFAR
    ResNet: each block's first conv; MobileNetV2: each block's expanded width), else every Linear/Conv2d but the last
    (the classifier), as for 004's MLP."""
    declared = getattr(model, "channel_prunable", None)
    if declared is not None:
        return list(declared)
    return [name for name, m in model.named_modules() if isinstance(m, PRUNABLE_MODULES)][:-1]


class ChannelSpace:
    """The prunable channels of one model (the given `layers`, default `channel_prunable`) and its FLOPs as a
    function of their widths."""

    def __init__(self, model: nn.Module, input_shape: tuple[int, ...], layers: str = "all"):
        self.model = model
        self.input_shape = tuple(input_shape)
        self.graph = dependency_graph(model, input_shape)
        self.modules = dict(model.named_modules())
        # Layers the forward pass never reaches (a Beta-VAE's decoder) have no channels to remove.
        traced = [name for name in channel_prunable(model) if self.modules[name] in self.graph.module2node]
        self.layers = select_layers(traced, layers)
        self.names = {id(m): name for name, m in self.modules.items()}
        self.channels = {layer: out_channels(self.modules[layer]) for layer in self.layers}
        # Per prunable layer: the modules its channels are the outputs of (dim 0), and those they are inputs of.
        self.produces: dict[str, list[str]] = {}
        self.consumes: dict[str, list[str]] = {}
        for layer in self.layers:
            group = channel_group(self.graph, self.modules[layer], [0])
            produced, consumed = [], []
            for dep, _ in group:
                module = dep.target.module
                if id(module) not in self.names or not list(module.parameters(recurse=False)):
                    continue
                if not isinstance(module, CHANNEL_MAJOR):
                    raise ValueError(
                        f"channel pruning of {layer}: no parameter masks for a coupled {type(module).__name__}"
                    )
                depthwise = isinstance(module, nn.Conv2d) and module.groups > 1
                if (
                    dep.handler.__name__ == "prune_out_channels"
                    or isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d))
                    or depthwise
                ):
                    produced.append(self.names[id(module)])
                else:
                    consumed.append(self.names[id(module)])
            self.produces[layer], self.consumes[layer] = list(dict.fromkeys(produced)), list(dict.fromkeys(consumed))
        self._shapes = self._output_sizes()

    @torch.no_grad()
    def _output_sizes(self) -> dict[str, int]:
        """Output positions per example (H x W for a conv, 1 for a Linear on a flat input) of every Linear/Conv2d the
        forward pass runs."""
        sizes, hooks = {}, []
        for name, module in self.modules.items():
            if isinstance(module, PRUNABLE_MODULES):
                hooks.append(
                    module.register_forward_hook(
                        lambda m, i, o, name=name: sizes.__setitem__(name, o[0, 0].numel() if o.dim() > 2 else 1)
                    )
                )
        training = self.model.training
        device = next(self.model.parameters()).device
        self.model.eval()(torch.zeros((1, *self.input_shape), device=device))
        self.model.train(training)
        for hook in hooks:
            hook.remove()
        return sizes

    def flops(self, widths: dict[str, float | torch.Tensor] | None = None):
        """Multiply-accumulates x 2 of Conv2d and Linear layers for one example (torch.utils.flop_counter's count),
        with each prunable layer at `widths[layer]` output channels (any number or tensor: differentiable in them;
        absent layers at full width)."""
        widths = widths or {}
        out = {name: out_channels(m) for name, m in self.modules.items() if name in self._shapes}
        inp = {
            name: m.in_channels // m.groups if isinstance(m, nn.Conv2d) else m.in_features
            for name, m in self.modules.items()
            if name in out
        }
        scale_in: dict[str, list] = {name: [] for name in out}
        for layer, width in widths.items():
            for name in self.produces[layer]:
                if name in out:
                    out[name] = width
            for name in self.consumes[layer]:
                scale_in[name].append(width / self.channels[layer])
        total = 0
        for name, module in self.modules.items():
            if name not in out:
                continue
            kernel = module.weight[0, 0].numel()
            fan_in = inp[name]
            for factor in scale_in[name]:
                fan_in = fan_in * factor
            total = total + 2 * out[name] * fan_in * kernel * self._shapes[name]
        return total

    def parameter_masks(self, keep: ChannelMask) -> dict[str, torch.Tensor]:
        """0/1 masks zeroing every parameter entry that produces a removed channel (see the module docstring)."""
        params = dict(self.model.named_parameters())
        masks: dict[str, torch.Tensor] = {}
        for layer, kept in keep.items():
            for module in self.produces[layer]:
                for pname, _ in self.modules[module].named_parameters(recurse=False):
                    full = f"{module}.{pname}"
                    mask = masks.setdefault(full, torch.ones_like(params[full], device="cpu"))
                    mask[~kept.cpu()] = 0.0
        return masks

    def kept_channels(self, masks: dict[str, torch.Tensor]) -> ChannelMask:
        """The channels `masks` do not remove: a channel is removed only where every parameter producing it is
        masked."""
        keep = {}
        for layer in self.layers:
            removed = torch.ones(self.channels[layer], dtype=torch.bool)
            for module in self.produces[layer]:
                for pname, _ in self.modules[module].named_parameters(recurse=False):
                    mask = masks.get(f"{module}.{pname}")
                    removed &= (
                        mask.reshape(len(mask), -1).eq(0).all(1).cpu()
                        if mask is not None
                        else torch.zeros_like(removed)
                    )
            keep[layer] = ~removed
        return keep


def widths_of(keep: ChannelMask) -> dict[str, int]:
    return {layer: int(kept.sum()) for layer, kept in keep.items()}
