"""Gradual pruning on Zhu & Gupta's cubic schedule ("To prune, or not to prune: exploring the efficacy of pruning for
model compression", Zhu & Gupta, 2017): by magnitude, and at random as the baseline of Gale, Elsen & Hooker ("The
State of Sparsity in Deep Neural Networks", 2019).

Sparsity rises from s_i at step t0 to s_f at step t0 + n dt as s_t = s_f + (s_i - s_f) (1 - (t - t0) / (n dt))^3, the
masks recomputed every dt steps in between and held afterwards (masked weights are zeroed after every step).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.during_training.base import DuringTrainingMethod, TrainingPlan, TrainingSparsifier
from prunebench.pruning.layers import prunable_weights
from prunebench.pruning.masks import compute_masks
from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.sparsifier import FixedMasks


@dataclass(frozen=True)
class CubicSchedule:
    initial: float  # s_i, reached at begin_step
    final: float  # s_f, reached at begin_step + updates * frequency and held
    begin_step: int  # t0 (0: before the first optimizer step)
    frequency: int  # dt, optimizer steps between mask updates
    updates: int  # n

    @property
    def end_step(self) -> int:
        return self.begin_step + self.updates * self.frequency

    def sparsity_at(self, step: int) -> float:
        """s_t: 0 before t0, the cubic ramp from s_i to s_f, then s_f."""
        if step < self.begin_step:
            return 0.0
        progress = min(1.0, (step - self.begin_step) / (self.updates * self.frequency))
        return self.final + (self.initial - self.final) * (1.0 - progress) ** 3

    def is_update(self, step: int) -> bool:
        offset = step - self.begin_step
        return 0 <= offset <= self.updates * self.frequency and offset % self.frequency == 0


@dataclass(frozen=True)
class GradualParams:
    initial_sparsity: float = 0.0  # s_i
    begin: float = 0.1  # t0, as a fraction of the training's optimizer steps
    end: float = 0.6  # the fraction of the steps by which s_f is reached (t0 + n dt, rounded down to a whole update)
    frequency: int = 100  # dt, optimizer steps between mask updates
    # Per-layer exceptions (local scope only). False leaves the model's first layer dense: State of Sparsity's
    # extended magnitude pruning (--prune_first_layer=False, sparse_rn50/evaluate/evaluate_extended_mp.sh line 27).
    prune_first_layer: bool = True
    last_layer_sparsity_cap: float = 1.0  # the model's last layer pruned to at most this sparsity (1: no cap)

    def __post_init__(self):
        if not 0.0 <= self.begin < self.end <= 1.0:
            raise ValueError(f"gradual pruning needs 0 <= begin < end <= 1, got begin {self.begin}, end {self.end}")
        if self.frequency < 1 or not 0.0 <= self.initial_sparsity < 1.0:
            raise ValueError(f"gradual pruning needs frequency >= 1 and 0 <= initial_sparsity < 1, got {self}")
        if not 0.0 <= self.last_layer_sparsity_cap <= 1.0:
            raise ValueError(f"gradual pruning: last_layer_sparsity_cap {self.last_layer_sparsity_cap} not in [0, 1]")

    @property
    def has_exceptions(self) -> bool:
        return not self.prune_first_layer or self.last_layer_sparsity_cap < 1.0

    def schedule(self, final: float, plan: TrainingPlan) -> CubicSchedule:
        begin, end = round(self.begin * plan.total_steps), round(self.end * plan.total_steps)
        updates = (end - begin) // self.frequency
        if updates < 1:
            raise ValueError(
                f"gradual pruning: the window of {end - begin} steps (begin {self.begin}, end {self.end} of "
                f"{plan.total_steps}) is shorter than one update every {self.frequency} steps"
            )
        return CubicSchedule(self.initial_sparsity, final, begin, self.frequency, updates)


class GradualMasks(FixedMasks, TrainingSparsifier):
    """Masks recomputed at the scheduled sparsity on the schedule's steps with `recompute(model, sparsity)`."""

    def __init__(self, schedule: CubicSchedule, recompute):
        super().__init__({})
        self.schedule, self.recompute = schedule, recompute

    def _update(self, model: nn.Module, step: int) -> None:
        if self.schedule.is_update(step):
            self.masks = self.recompute(model, self.schedule.sparsity_at(step))
            self.updates += 1

    def start(self, model):
        self._update(model, 0)
        super().start(model)

    def after_step(self, model, step):
        self._update(model, step)
        super().after_step(model, step)


class GradualPruning(DuringTrainingMethod):
    Params = GradualParams
    criterion = ""  # the registered criterion that scores the weights at each update

    def sparsifier(self, model, sparsity, layers, scope, seed, plan):
        params = self.params
        if params.has_exceptions and scope != "local":
            raise ValueError("gradual pruning: prune_first_layer, last_layer_sparsity_cap need local scope")
        first, last = next(iter(prunable_weights(model))), next(iter(prunable_weights(model, "last")))

        def recompute(model, at):
            masks = compute_masks(model, self.criterion, at, scope=scope, layers=layers, seed=seed)
            if not params.prune_first_layer and first in masks:
                masks[first] = torch.ones_like(masks[first])
            if at > params.last_layer_sparsity_cap and last in masks:
                capped = compute_masks(model, self.criterion, params.last_layer_sparsity_cap, layers="last", seed=seed)
                masks[last] = capped[last]
            return masks

        return GradualMasks(params.schedule(sparsity, plan), recompute)


@PRUNING_METHODS.register("gradual_magnitude")
class GradualMagnitude(GradualPruning):
    """Gradual magnitude pruning: at each update the smallest |w| are masked (pruned weights are zero, so they stay)."""

    criterion = "lowest"


@PRUNING_METHODS.register("gradual_random")
class GradualRandom(GradualPruning):
    """Gradual random pruning: every update draws the same random scores from the run's pruning stream, so each mask
    contains the previous one and the final one is a uniformly random subset at s_f."""

    criterion = "random"
