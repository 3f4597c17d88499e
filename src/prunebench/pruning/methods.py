"""Pruning criteria: one class each, registered by name. Lower importance is pruned first.

To add a method: subclass PruningMethod here (or in any module imported by prunebench.pruning), register it, and name
it in the config (`prune.variants.<variant>: {method: <name>, params: {...}}`). No rule or script changes. A method
with parameters declares them as a dataclass (`Params`): the config schema is built from it, so a wrong or unknown
parameter is named before any job runs. A method that needs training data sets `needs_data`: the prune stage then
reads the prepared data and the context carries the gradients of the weight on a few batches.

A method from another package: that package declares its PruningMethod subclass as an entry point of group
`prunebench.methods` (`<name> = "<module>:<class>"`); installed beside prunebench, it is registered under <name>.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.registry import Registry

# A method's family decides its stages in the DAG, the one table of them: the rule that writes a variant's masks
# (workflow/rules/<stage>.smk) and what the evaluation measures. "criterion": masks from a trained model (prune), then
# the base model with them, fine-tuned where the study fine-tunes; "structured_search": gates searched over a frozen
# network (search), then as a criterion's; "during_training": a Sparsifier inside the training loop (train_sparse),
# which hands over the trained model and its final masks. A variant whose method has structure "channel" is slimmed
# after its mask stage (slim). Iterative pruning with rewinding is not a family: 003's rules chain its levels
# (prunebench.pruning.iterative).
FAMILY_STAGES = {
    "criterion": {"masks": "prune", "evaluated": "finetuned"},
    "structured_search": {"masks": "search", "evaluated": "finetuned"},
    "during_training": {"masks": "train_sparse", "evaluated": "trained"},
}
FAMILIES = tuple(FAMILY_STAGES)


@dataclass(frozen=True)
class NoParams:
    """A method without parameters."""


@dataclass(frozen=True)
class PruningContext:
    """What a criterion may look at besides the weight of the layer it scores."""

    name: str  # the weight's parameter name, e.g. "fc1.weight"
    module: nn.Module  # the layer that holds it
    model: nn.Module
    generator: torch.Generator  # the run's pruning stream (prunebench.determinism.Stream.PRUNING)
    gradients: tuple[torch.Tensor, ...] = ()  # dL/dw on each batch of training data (methods with needs_data)


# What a variant's pruning target (the `target` wildcard, one of a study's `prune.sparsities`) measures, by the
# method's structure, and so the name it carries in the run's path (`<variant>/<measure><target>`): the fraction of
# weights removed (for a method whose sparsity is an outcome, the sparsity its sweep point aims at), of units (rows)
# removed, or of FLOPs removed (prunebench.pruning.channel_criteria's budget).
TARGET_MEASURES = {"weight": "sparsity", "unit": "units", "channel": "flops"}


class PruningMethod:
    family = "criterion"  # one of FAMILIES
    # "weight": one score per weight; "unit": one score per output unit (row), whole rows pruned; "channel": one score
    # per output channel of each channel-prunable layer, whole channel groups removed at a FLOPs budget
    # (prunebench.pruning.channel_criteria); TARGET_MEASURES names what the target of each measures
    structure = "weight"
    Params: type = NoParams
    needs_data = False

    def __init__(self, params=None):
        self.params = self.Params() if params is None else params

    def importance(self, weight: torch.Tensor, context: PruningContext) -> torch.Tensor:
        raise NotImplementedError


def method_problem(method) -> str | None:
    """What keeps `method` (another package's entry point) from being a pruning method; None if nothing."""
    if not (isinstance(method, type) and issubclass(method, PruningMethod)):
        return f"{method!r} is not a subclass of prunebench.pruning.PruningMethod"
    if method.family not in FAMILIES:
        return f"its family {method.family!r} is not one of {list(FAMILIES)}"
    if method.structure not in TARGET_MEASURES:
        return f"its structure {method.structure!r} is not one of {list(TARGET_MEASURES)}"
    return None


PRUNING_METHODS: Registry = Registry("pruning method", entry_point_group="prunebench.methods", check=method_problem)


@PRUNING_METHODS.register("lowest")
class LowestMagnitude(PruningMethod):
    """Remove the weights of smallest |w|."""

    def importance(self, weight, context):
        return weight.abs()


@PRUNING_METHODS.register("highest")
class HighestMagnitude(PruningMethod):
    """Remove the weights of largest |w| (the adversarial control of 001)."""

    def importance(self, weight, context):
        return -weight.abs()


@PRUNING_METHODS.register("random")
class RandomWeights(PruningMethod):
    """Remove weights uniformly at random (from the run's pruning stream)."""

    def importance(self, weight, context):
        return torch.rand(weight.shape, generator=context.generator)


@PRUNING_METHODS.register("unit")
class UnitL2Norm(PruningMethod):
    """Remove whole units: the rows (output neurons / filters) of smallest L2 norm."""

    structure = "unit"

    def importance(self, weight, context):
        return weight.flatten(1).norm(p=2, dim=1)


@dataclass(frozen=True)
class TaylorParams:
    batches: int = 4  # batches of training data the gradients are taken on
    batch_size: int = 64


@PRUNING_METHODS.register("taylor")
class FirstOrderTaylor(PruningMethod):
    """First-order Taylor importance (Molchanov et al., "Importance Estimation for Neural Network Pruning", 2019):
    the loss change of removing a weight, estimated as |w * dL/dw|, summed over a few batches of training data."""

    Params = TaylorParams
    needs_data = True

    def importance(self, weight, context):
        return sum((weight * gradient).abs() for gradient in context.gradients)
