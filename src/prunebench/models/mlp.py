"""Fully connected ReLU networks (004: the bias-free MLP 784-1000-1000-500-200-10)."""

from __future__ import annotations

import math
from collections import OrderedDict

from torch import nn

from prunebench.models.registry import MODELS

# Weight initializations the document leaves open (004-B3 compares them):
#   pytorch         nn.Linear's own: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform_ with a = sqrt(5))
#   glorot_uniform  Keras' Dense default: U(-a, a), a = sqrt(6 / (fan_in + fan_out)); biases zero
INITS = ("pytorch", "glorot_uniform")
DEFAULT_INIT = "pytorch"


@MODELS.register("mlp")
def mlp(
    input_shape: tuple[int, ...],
    num_classes: int,
    hidden=(1000, 1000, 500, 200),
    bias: bool = False,
    init: str = DEFAULT_INIT,
) -> nn.Sequential:
    if init not in INITS:
        raise ValueError(f"mlp init: {init!r} is not one of {list(INITS)}")
    layers: OrderedDict[str, nn.Module] = OrderedDict(flatten=nn.Flatten())
    width = math.prod(input_shape)
    for i, units in enumerate(hidden, start=1):
        layers[f"fc{i}"] = nn.Linear(width, units, bias=bias)
        layers[f"relu{i}"] = nn.ReLU()
        width = units
    layers["out"] = nn.Linear(width, num_classes, bias=bias)
    model = nn.Sequential(layers)
    if init == "glorot_uniform":
        for module in model.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
    return model
