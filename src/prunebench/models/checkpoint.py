"""A checkpoint carries its architecture, so any later stage rebuilds the model without the config. A slimmed
network's spec carries its `widths` ({prunable layer: channels}): build_model narrows the dense architecture to them,
so every checkpoint loads with torch.load(weights_only=True)."""

from __future__ import annotations

import torch
from torch import nn

from prunebench.atomic import load_torch, save_torch
from prunebench.models.registry import build_model


def save_checkpoint(path, model: nn.Module, spec: dict, failed: str | None = None) -> None:
    """`spec`: arch, input_shape, num_classes, the architecture's keyword arguments and, once slimmed, widths.
    `failed`: why the training behind these weights failed (prunebench.training.failure); every later stage that
    saves a model from this one carries it on."""
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    save_torch(path, {"spec": spec, "state_dict": state, **({"failed": failed} if failed else {})})


def checkpoint_failure(path) -> str | None:
    """Why the training behind a checkpoint failed, None if it did not."""
    return load_torch(path, map_location="cpu", mmap=True).get("failed")


def load_checkpoint(path, device: torch.device | str = "cpu") -> tuple[nn.Module, dict]:
    checkpoint = load_torch(path, map_location="cpu")
    spec = checkpoint["spec"]
    model = build_model(**spec)
    model.load_state_dict(checkpoint["state_dict"])
    return model.to(device), spec
