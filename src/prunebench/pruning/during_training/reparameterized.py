"""Layers whose weight is trained through extra parameters (variational dropout, L0 gates), swapped into a model in
place of its Linear / Conv2d modules and swapped back out, folded into a plain weight, after training."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.pruning.during_training.base import TrainingSparsifier
from prunebench.pruning.layers import prunable_weights


class ReparameterizedLayer(nn.Module):
    """Wraps one Linear or Conv2d (`layer`, whose weight is the trained mean theta and whose bias stays as is).

    Subclasses define the training-mode forward, `mask()` and `test_weight()`, the deterministic weight used at
    evaluation, zero wherever the mask is."""

    def __init__(self, layer: nn.Module):
        super().__init__()
        self.layer = layer

    def apply_weight(self, x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None) -> torch.Tensor:
        """The layer's operation (linear map or convolution with its stride and padding) with another weight."""
        if isinstance(self.layer, nn.Linear):
            return F.linear(x, weight, bias)
        return self.layer._conv_forward(x, weight, bias)

    def mask(self) -> torch.Tensor:
        """1 where the weight is kept, 0 where the method removes it (the weight's shape)."""
        raise NotImplementedError

    def test_weight(self) -> torch.Tensor:
        raise NotImplementedError

    def train_forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x):
        if self.training:
            return self.train_forward(x)
        return self.apply_weight(x, self.test_weight(), self.layer.bias)


def _set_module(model: nn.Module, path: str, module: nn.Module) -> None:
    parent, _, name = path.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, name, module)


class ReparameterizedSparsifier(TrainingSparsifier):
    """Swaps each selected layer of `model` for `wrap(layer)` at construction; its masks are the wrappers' masks."""

    def __init__(self, model: nn.Module, layers: str, wrap):
        paths = [name.removesuffix(".weight") for name in prunable_weights(model, layers)]
        self.wrappers: dict[str, ReparameterizedLayer] = {}
        for path in paths:
            self.wrappers[path] = wrap(model.get_submodule(path))
            _set_module(model, path, self.wrappers[path])

    def undecayed(self):
        """Each wrapper's own parameters (log sigma^2, log alpha), not the wrapped layer's weight and bias."""
        return [
            p
            for wrapper in self.wrappers.values()
            for name, p in wrapper.named_parameters()
            if not name.startswith("layer.")
        ]

    @torch.no_grad()
    def final_masks(self):
        return {f"{path}.weight": wrapper.mask().cpu() for path, wrapper in self.wrappers.items()}

    @torch.no_grad()
    def export(self, model):
        """Each wrapper replaced by its layer holding the test-time weight (removed weights zero)."""
        for path, wrapper in self.wrappers.items():
            wrapper.layer.weight.copy_(wrapper.test_weight())
            _set_module(model, path, wrapper.layer)
        return model
