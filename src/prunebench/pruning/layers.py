"""Which weights a pruning step may touch, selected independently of the model's layer names."""

from __future__ import annotations

from torch import nn

PRUNABLE_MODULES = (nn.Linear, nn.Conv2d)
LAYER_SELECTIONS = ("all", "all_but_last", "last")


def prunable_weights(model: nn.Module, layers: str = "all") -> dict[str, nn.Parameter]:
    """Weights of Linear/Conv2d modules in definition order, filtered by `layers`."""
    weights = {f"{name}.weight": m.weight for name, m in model.named_modules() if isinstance(m, PRUNABLE_MODULES)}
    return {name: weights[name] for name in select_layers(list(weights), layers)}


def select_layers(names: list[str], layers: str) -> list[str]:
    """The names `layers` selects from an ordered list of candidate layers."""
    if layers == "all":
        return names
    if layers == "all_but_last":
        return names[:-1]
    if layers == "last":
        return names[-1:]
    raise ValueError(f"prune.layers: {layers!r} is not one of {list(LAYER_SELECTIONS)}")
