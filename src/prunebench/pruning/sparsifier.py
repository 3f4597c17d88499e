"""Training-time sparsification with masks: sparsifiers (prunebench.training.Sparsifier) the training loop calls.

Holding fixed masks while fine-tuning is the trivial case; recomputing the masks from the current magnitudes every few
steps (TF-MOT's ConstantSparsity, which 000's document uses) is the next; gradual schedules, variational dropout and
L0 gates are further subclasses.
"""

from __future__ import annotations

import torch

from prunebench.pruning.masks import apply_masks
from prunebench.pruning.variant import Variant
from prunebench.training.sparsifier import Sparsifier


class FixedMasks(Sparsifier):
    """The masked weights are zeroed before training and after every step (masks held)."""

    def __init__(self, masks: dict[str, torch.Tensor]):
        self.masks = masks

    def start(self, model):
        apply_masks(model, self.masks)

    def after_step(self, model, step):
        apply_masks(model, self.masks)

    def final_masks(self):
        return self.masks


class RecomputedMasks(FixedMasks):
    """Masks recomputed with the variant's criterion at the same sparsity every `every` steps, from the current
    weights (TF-MOT's `ConstantSparsity(frequency=every)`), held in between; `recompute(model)` gives new masks."""

    def __init__(self, masks: dict[str, torch.Tensor], every: int, recompute):
        super().__init__(masks)
        self.every, self.recompute = every, recompute

    def after_step(self, model, step):
        if step % self.every == 0:
            self.masks = self.recompute(model)
            self.updates += 1
        super().after_step(model, step)


def variant_sparsifier(masks: dict[str, torch.Tensor], variant: Variant, sparsity: float, seed: int) -> Sparsifier:
    """The sparsifier of a pruning variant (config `prune.variants.<name>` with `layers`): fixed masks, or masks
    recomputed every `mask_update_steps` steps."""
    every = variant.mask_update_steps
    if every is None:
        return FixedMasks(masks)

    def recompute(model):
        return variant.masks(model, sparsity, seed)

    return RecomputedMasks(masks, every, recompute)
