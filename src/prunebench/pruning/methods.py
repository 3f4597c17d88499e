"""Pruning methods: one class each, with one method, `importance`. Lower importance is pruned first.

To add a method: subclass PruningMethod here (or anywhere imported by prunebench.pruning), register it,
and name it in the config (`prune.methods.<variant>.method`). No rule or script changes.
"""
from __future__ import annotations

import torch

from prunebench.registry import Registry

PRUNING_METHODS: Registry = Registry("pruning method")


class PruningMethod:
    # "weight": one score per weight; "unit": one score per output unit (row), pruning whole rows.
    structure = "weight"

    def importance(self, weight: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        raise NotImplementedError


@PRUNING_METHODS.register("lowest")
class LowestMagnitude(PruningMethod):
    """Remove the weights of smallest |w|."""

    def importance(self, weight, generator):
        return weight.abs()


@PRUNING_METHODS.register("highest")
class HighestMagnitude(PruningMethod):
    """Remove the weights of largest |w| (the adversarial control of 001)."""

    def importance(self, weight, generator):
        return -weight.abs()


@PRUNING_METHODS.register("random")
class RandomWeights(PruningMethod):
    """Remove weights uniformly at random (seeded)."""

    def importance(self, weight, generator):
        return torch.rand(weight.shape, generator=generator)


@PRUNING_METHODS.register("unit")
class UnitL2Norm(PruningMethod):
    """Remove whole units: the rows (output neurons / filters) of smallest L2 norm."""

    structure = "unit"

    def importance(self, weight, generator):
        return weight.flatten(1).norm(p=2, dim=1)
