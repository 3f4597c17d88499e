"""A checkpoint carries its architecture, so any later stage rebuilds the model without the config. A slimmed
network's spec carries its `widths` ({prunable layer: channels}): build_model narrows the dense architecture to them,
so every checkpoint loads with torch.load(weights_only=True)."""
from __future__ import annotations

import torch
from torch import nn

from prunebench.atomic import save_torch
from prunebench.models.registry import build_model


def save_checkpoint(path, model: nn.Module, spec: dict) -> None:
    """`spec`: arch, input_shape, num_classes, the architecture's keyword arguments and, once slimmed, widths."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    save_torch(path, {"spec": spec, "state_dict": state})


def load_checkpoint(path, device: torch.device | str = "cpu") -> tuple[nn.Module, dict]:
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    spec = checkpoint["spec"]
    model = build_model(**spec)
    model.load_state_dict(checkpoint["state_dict"])
    return model.to(device), spec
