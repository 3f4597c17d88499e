"""Fully connected ReLU networks (004: the bias-free MLP 784-1000-1000-500-200-10)."""
from __future__ import annotations

import math
from collections import OrderedDict

from torch import nn

from prunebench.models.registry import MODELS


@MODELS.register("mlp")
def mlp(input_shape: tuple[int, ...], num_classes: int, hidden=(1000, 1000, 500, 200), bias: bool = False) -> nn.Sequential:
    layers: OrderedDict[str, nn.Module] = OrderedDict(flatten=nn.Flatten())
    width = math.prod(input_shape)
    for i, units in enumerate(hidden, start=1):
        layers[f"fc{i}"] = nn.Linear(width, units, bias=bias)
        layers[f"relu{i}"] = nn.ReLU()
        width = units
    layers["out"] = nn.Linear(width, num_classes, bias=bias)
    return nn.Sequential(layers)
