from __future__ import annotations

import torch
from torch import nn


class WeightSnapshots:
    """An epoch callback keeping a copy of the named parameters after every epoch: {name: [epoch 0, 1, ...]}."""

    def __init__(self, names: list[str]):
        self.weights: dict[str, list[torch.Tensor]] = {name: [] for name in names}

    def __call__(self, epoch: int, model: nn.Module) -> dict:
        params = dict(model.named_parameters())
        for name, history in self.weights.items():
            history.append(params[name].detach().cpu().clone())
        return {}
