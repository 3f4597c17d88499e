"""Channel gates on any model: the output of each named prunable layer is multiplied channel-wise by a mask
(DDNP's Eq. 6, F-hat = a * F), through forward hooks, so a search needs only the layers' names and widths."""

from __future__ import annotations

import torch
from torch import nn


class ChannelGates:
    """Forward hooks on the modules named in `prunable` ({module name: output channels}, in network order) that
    multiply their outputs (channels on dimension 1) by the masks last given to `set`. Use as a context manager:
    the hooks are removed on exit."""

    def __init__(self, model: nn.Module, prunable: dict[str, int]):
        modules = dict(model.named_modules())
        missing = [name for name in prunable if name not in modules]
        if missing:
            raise KeyError(f"prunable layers {missing} are not modules of the model")
        self.prunable = dict(prunable)
        self.masks: list[torch.Tensor] | None = None
        self.handles = [modules[name].register_forward_hook(self._hook(i, name)) for i, name in enumerate(prunable)]

    def _hook(self, index: int, name: str):
        def hook(module, inputs, output):
            if self.masks is None:
                return output
            if output.dim() < 2 or output.shape[1] != self.prunable[name]:
                raise ValueError(
                    f"prunable layer {name!r}: output of shape {tuple(output.shape)} has no {self.prunable[name]}"
                    " channels on dimension 1"
                )
            mask = self.masks[index].to(output.dtype)
            return output * mask.view(1, -1, *[1] * (output.dim() - 2))

        return hook

    def set(self, masks: list[torch.Tensor] | None) -> None:
        """One mask per prunable layer (None: no gating)."""
        if masks is not None and [m.numel() for m in masks] != list(self.prunable.values()):
            raise ValueError(
                f"masks of sizes {[m.numel() for m in masks]} for layers of widths {list(self.prunable.values())}"
            )
        self.masks = masks

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()
        self.handles = []

    def __enter__(self) -> "ChannelGates":
        return self

    def __exit__(self, *exc) -> None:
        self.remove()
