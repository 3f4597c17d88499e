from __future__ import annotations

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
