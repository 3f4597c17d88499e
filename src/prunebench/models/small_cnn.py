"""A small convolutional network for CPU runs (001's default config): conv blocks, one hidden Linear, classifier.

The classifier (`classifier.out`) is the last Linear in definition order, so `prune.layers: last` prunes it."""

from __future__ import annotations

from collections import OrderedDict

from torch import nn

from prunebench.models.registry import MODELS


@MODELS.register("small_cnn")
def small_cnn(
    input_shape: tuple[int, ...], num_classes: int, channels=(8, 16), hidden: int = 100, pool: int = 2
) -> nn.Sequential:
    """Per entry of `channels`: 3x3 conv (padding 1), ReLU, `pool` x `pool` max-pool; then Linear(hidden), ReLU,
    Linear(classes)."""
    in_channels, height, width = input_shape
    features: OrderedDict[str, nn.Module] = OrderedDict()
    for i, out_channels in enumerate(channels, start=1):
        features[f"conv{i}"] = nn.Conv2d(in_channels, out_channels, 3, padding=1)
        features[f"relu{i}"] = nn.ReLU()
        features[f"pool{i}"] = nn.MaxPool2d(pool)
        in_channels, height, width = out_channels, height // pool, width // pool
    classifier = nn.Sequential(
        OrderedDict(
            flatten=nn.Flatten(),
            fc=nn.Linear(in_channels * height * width, hidden),
            relu=nn.ReLU(),
            out=nn.Linear(hidden, num_classes),
        )
    )
    return nn.Sequential(OrderedDict(features=nn.Sequential(features), classifier=classifier))
