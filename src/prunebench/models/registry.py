from __future__ import annotations

import inspect

from torch import nn

from prunebench.models.narrowing import narrow_to_widths
from prunebench.registry import Registry

MODELS: Registry = Registry("model architecture")


def build_model(
    arch: str, input_shape: tuple[int, ...], num_classes: int, widths: dict[str, int] | None = None, **kwargs
) -> nn.Module:
    """The architecture `arch`; with `widths` (a slimmed network's spec), narrowed to those prunable-layer widths."""
    model = MODELS[arch](tuple(input_shape), num_classes, **kwargs)
    if widths is not None:
        narrow_to_widths(model, widths, tuple(input_shape))
    return model


def argument_error(spec: dict) -> str | None:
    """Why the model spec {arch: ..., <arguments>} cannot be built (an argument its architecture does not take, as one
    merged in from config.yaml's model of another architecture), or None."""
    try:
        inspect.signature(MODELS[spec["arch"]]).bind((1, 32, 32), 10, **{k: v for k, v in spec.items() if k != "arch"})
    except TypeError as e:
        return f"{spec['arch']}: {e}"
    return None
