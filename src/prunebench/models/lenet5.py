"""LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-based learning applied to document recognition", 1998) with
ReLU and max-pooling: conv 5x5 (6) -> pool 2 -> conv 5x5 (16) -> pool 2 -> fc 120 -> fc 84 -> classes; unpadded
convolutions, so 28x28 inputs reach the classifier as 16 x 4 x 4. 003's LeNet-5-like network, the convolutional
model of the sparsity comparison in the default config (LeNet-300-100 is `mlp` with hidden [300, 100] and biases)."""

from __future__ import annotations

from collections import OrderedDict

from torch import nn

from prunebench.models.registry import MODELS


@MODELS.register("lenet5")
def lenet5(input_shape: tuple[int, ...], num_classes: int, channels=(6, 16), hidden=(120, 84)) -> nn.Sequential:
    in_channels, height, width = input_shape
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    for i, out_channels in enumerate(channels, start=1):
        layers[f"conv{i}"] = nn.Conv2d(in_channels, out_channels, 5)
        layers[f"relu_conv{i}"] = nn.ReLU()
        layers[f"pool{i}"] = nn.MaxPool2d(2)
        in_channels, height, width = out_channels, (height - 4) // 2, (width - 4) // 2
    layers["flatten"] = nn.Flatten()
    width = in_channels * height * width
    for i, units in enumerate(hidden, start=1):
        layers[f"fc{i}"] = nn.Linear(width, units)
        layers[f"relu_fc{i}"] = nn.ReLU()
        width = units
    layers["out"] = nn.Linear(width, num_classes)
    return nn.Sequential(layers)
