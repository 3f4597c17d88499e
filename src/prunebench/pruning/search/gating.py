"""Channel gates on any model: each gated layer's channels are multiplied channel-wise by a mask (DDNP's Eq. 6,
F-hat = a * F), through forward hooks, so a search needs only the layers' names, widths and where to gate them.

A gate point is (module name, side): side "output" multiplies the module's output, "input" the first input of its
forward call (a forward pre-hook), e.g. the activated feature entering the next convolution. The gates can also record
each layer's squared feature norms at its first gate point (`record_norms`), before the mask applies."""

from __future__ import annotations

import torch
from torch import nn

GatePoint = tuple[str, str]  # (module name, "input" | "output")
SIDES = ("input", "output")


class ChannelGates:
    """Hooks that multiply the channels (dimension 1) of each gated layer in `prunable` ({name: channels}, in network
    order) by the masks last given to `set`, at the layer's gate points (`points[name]`; default: the output of the
    module called `name`). Use as a context manager: the hooks are removed on exit."""

    def __init__(self, model: nn.Module, prunable: dict[str, int], points: dict[str, list[GatePoint]] | None = None):
        modules = dict(model.named_modules())
        self.prunable = dict(prunable)
        self.points = {name: list((points or {}).get(name, [(name, "output")])) for name in prunable}
        missing = [module for pts in self.points.values() for module, _ in pts if module not in modules]
        if missing:
            raise KeyError(f"gated modules {missing} are not modules of the model")
        bad = [side for pts in self.points.values() for _, side in pts if side not in SIDES]
        if bad:
            raise ValueError(f"gate sides {bad} are not one of {list(SIDES)}")
        self.masks: list[torch.Tensor] | None = None
        self.norm_sums: list[torch.Tensor | float] | None = None  # while recording: per layer, summed squared norms
        self.norm_counts: list[int] = []
        self.handles = []
        for index, (name, pts) in enumerate(self.points.items()):
            for position, (module, side) in enumerate(pts):
                if side == "output":
                    hook = self._output_hook(index, name, position == 0)
                    self.handles.append(modules[module].register_forward_hook(hook))
                else:
                    hook = self._input_hook(index, name, position == 0)
                    self.handles.append(modules[module].register_forward_pre_hook(hook))

    def _check(self, name: str, x: torch.Tensor) -> None:
        if x.dim() < 2 or x.shape[1] != self.prunable[name]:
            raise ValueError(
                f"gated layer {name!r}: a tensor of shape {tuple(x.shape)} has no {self.prunable[name]} channels on "
                "dimension 1"
            )

    def _gate(self, index: int, name: str, x: torch.Tensor, first: bool) -> torch.Tensor:
        if self.norm_sums is not None and first:
            self._check(name, x)
            self.norm_sums[index] = self.norm_sums[index] + x.detach().pow(2).sum(dim=tuple(range(2, x.dim()))).sum(0)
            self.norm_counts[index] += x.shape[0]
        if self.masks is None:
            return x
        self._check(name, x)
        mask = self.masks[index].to(x.dtype)
        return x * mask.view(1, -1, *[1] * (x.dim() - 2))

    def _output_hook(self, index: int, name: str, first: bool):
        def hook(module, inputs, output):
            return self._gate(index, name, output, first)

        return hook

    def _input_hook(self, index: int, name: str, first: bool):
        def hook(module, inputs):
            return (self._gate(index, name, inputs[0], first), *inputs[1:])

        return hook

    def record_norms(self) -> None:
        """Start recording, per gated layer, each channel's squared norm summed over its positions (dimensions 2 and
        up) at its first gate point, before the mask applies."""
        self.norm_sums = [0.0] * len(self.prunable)
        self.norm_counts = [0] * len(self.prunable)

    def recorded_norms(self) -> list[torch.Tensor]:
        """The recorded squared norms averaged over the examples seen since `record_norms`; stops recording."""
        if self.norm_sums is None or 0 in self.norm_counts:
            raise RuntimeError("no feature norms recorded: call record_norms, then run the model")
        norms = [total / count for total, count in zip(self.norm_sums, self.norm_counts)]
        self.norm_sums = None
        return norms

    def set(self, masks: list[torch.Tensor] | None) -> None:
        """One mask per gated layer (None: no gating)."""
        if masks is not None and [m.numel() for m in masks] != list(self.prunable.values()):
            sizes = [m.numel() for m in masks]
            raise ValueError(f"masks of sizes {sizes} for layers of widths {list(self.prunable.values())}")
        self.masks = masks

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def __enter__(self) -> "ChannelGates":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
