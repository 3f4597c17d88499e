"""What every training-time pruning method shares: the training it runs in, its sparsifier, and the hand-over.

A training-time method (the "during training" family of docs/architecture.md, "Pruning families") decides its masks
inside the training loop. It builds a `TrainingSparsifier` for a freshly initialized model before the optimizer is made
(so parameters it adds, such as variational dropout's log sigma^2, are trained), and after training `export` hands back
the plain architecture (the checkpoint's spec, loadable with weights_only=True) whose removed weights are exactly zero,
with 0/1 masks that say which: the evaluation stage measures it like any other pruned model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.methods import PRUNING_METHODS, PruningMethod
from prunebench.pruning.params import method_params
from prunebench.pruning.variant import Variant
from prunebench.training.sparsifier import Sparsifier


@dataclass(frozen=True)
class TrainingPlan:
    """The training a sparsifier runs in: its length, and N for the per-example scaling of penalties."""

    train_size: int  # N: training examples per epoch
    epochs: int
    batch_size: int

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.train_size / self.batch_size)

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch


class TrainingSparsifier(Sparsifier):
    def export(self, model: nn.Module) -> nn.Module:
        """The trained model as its plain architecture, removed weights zero (methods that reparameterize undo it)."""
        return model


class DuringTrainingMethod(PruningMethod):
    family = "during_training"
    # False: the target wildcard is the final sparsity the method is asked for; True: sparsity is an outcome of the
    # method's strength (a study sweeps it, one value per sweep point: its `sweep` key).
    sparsity_is_outcome = False

    def sparsifier(
        self, model: nn.Module, sparsity: float, layers: str, scope: str, seed: int, plan: TrainingPlan
    ) -> TrainingSparsifier:
        raise NotImplementedError


def training_sparsifier(
    model: nn.Module, variant: Variant, sparsity: float, seed: int, plan: TrainingPlan
) -> TrainingSparsifier:
    """The sparsifier of a training-time variant (`method`, `params`, `layers`, `scope`) at one sweep point."""
    method = PRUNING_METHODS[variant.method](method_params(variant.method, variant.params))
    if method.family != "during_training":
        raise ValueError(f"pruning method {variant.method!r} is not a training-time method (family {method.family!r})")
    return method.sparsifier(model, sparsity, variant.layers, variant.scope, seed, plan)


def achieved_sparsity(masks: dict[str, torch.Tensor]) -> float:
    """The fraction of removed weights over all masked layers together."""
    total = sum(m.numel() for m in masks.values())
    return float(sum((m == 0).sum().item() for m in masks.values()) / total) if total else 0.0
