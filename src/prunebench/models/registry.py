from __future__ import annotations

from torch import nn

from prunebench.registry import Registry

MODELS: Registry = Registry("model architecture")


def build_model(arch: str, input_shape: tuple[int, ...], num_classes: int, **kwargs) -> nn.Module:
    return MODELS[arch](tuple(input_shape), num_classes, **kwargs)
