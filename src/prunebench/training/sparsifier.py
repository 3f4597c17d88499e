"""What the training loop calls so a pruning method can act during training (prunebench.pruning's sparsifiers).

A Sparsifier is asked for a penalty added to the loss before each backward pass, is called after each optimizer
step, and hands over its final masks. This base class does nothing: dense training.
"""

from __future__ import annotations

import torch
from torch import nn


class Sparsifier:
    updates = 0  # mask updates made during training

    def start(self, model: nn.Module) -> None:
        """Before the first step."""

    def penalty(self, model: nn.Module) -> torch.Tensor | None:
        """A term added to the training loss (None: nothing)."""
        return None

    def after_step(self, model: nn.Module, step: int) -> None:
        """After optimizer step `step` (1, 2, ...)."""

    def undecayed(self) -> list[nn.Parameter]:
        """Parameters the method adds to the model, which weight decay leaves alone (it regularizes weights only)."""
        return []

    def final_masks(self) -> dict[str, torch.Tensor]:
        return {}
