"""L0 regularization with hard-concrete gates ("Learning Sparse Neural Networks through L0 Regularization", Louizos,
Welling & Kingma, 2018), as compared by Gale, Elsen & Hooker ("The State of Sparsity in Deep Neural Networks", 2019).

Each weight (gates "weight", as State of Sparsity) or each output unit of a layer (gates "unit": a row of a Linear, a
filter of a Conv2d) is multiplied by a gate z = min(1, max(0, s (zeta - gamma) + gamma)),
s = sigmoid((log u - log(1 - u) + log alpha) / beta), u ~ U(0, 1), sampled afresh for every minibatch. The penalty is
`l0_weight` times the expected number of nonzero gates, sum sigmoid(log alpha - beta log(-gamma / zeta)), per
training example (divided by N, as the authors' code). At test time the gate is deterministic,
z = min(1, max(0, sigmoid(log alpha) (zeta - gamma) + gamma)), folded into the weight; weights whose gate is 0 are
removed. The sparsity is an outcome of `l0_weight`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.during_training.base import DuringTrainingMethod
from prunebench.pruning.during_training.reparameterized import ReparameterizedLayer, ReparameterizedSparsifier
from prunebench.pruning.methods import PRUNING_METHODS

BETA, GAMMA, ZETA = 2.0 / 3.0, -0.1, 1.1  # the paper's hard-concrete temperature and stretch
EPSILON = 1e-8
GATES = ("weight", "unit")


def hard_concrete_sample(log_alpha: torch.Tensor) -> torch.Tensor:
    u = torch.rand_like(log_alpha)
    s = torch.sigmoid((torch.log(u + EPSILON) - torch.log1p(-u) + log_alpha) / BETA)
    return (s * (ZETA - GAMMA) + GAMMA).clamp(0.0, 1.0)


def test_gate(log_alpha: torch.Tensor) -> torch.Tensor:
    return (torch.sigmoid(log_alpha) * (ZETA - GAMMA) + GAMMA).clamp(0.0, 1.0)


def expected_l0(log_alpha: torch.Tensor) -> torch.Tensor:
    """P(z != 0) per gate: 1 - Q(s <= 0)."""
    return torch.sigmoid(log_alpha - BETA * math.log(-GAMMA / ZETA))


class GatedLayer(ReparameterizedLayer):
    def __init__(self, layer: nn.Module, gates: str, initial_log_alpha: float):
        super().__init__(layer)
        weight = layer.weight
        shape = weight.shape if gates == "weight" else (weight.shape[0], *[1] * (weight.dim() - 1))
        # as the authors' code: N(initial, 0.01^2) around the initial value, from the run's initialization stream
        self.log_alpha = nn.Parameter(
            initial_log_alpha + 0.01 * torch.randn(shape, device=weight.device, dtype=weight.dtype)
        )

    def mask(self):
        return (test_gate(self.log_alpha) > 0).float().expand_as(self.layer.weight).contiguous()

    def test_weight(self):
        return self.layer.weight * test_gate(self.log_alpha)

    def train_forward(self, x):
        return self.apply_weight(x, self.layer.weight * hard_concrete_sample(self.log_alpha), self.layer.bias)


class L0Sparsifier(ReparameterizedSparsifier):
    def __init__(self, model, layers, params: "L0Params", plan):
        super().__init__(model, layers, lambda layer: GatedLayer(layer, params.gates, params.initial_log_alpha))
        self.weight = params.l0_weight / plan.train_size

    def penalty(self, model):
        return self.weight * sum(expected_l0(w.log_alpha).sum() for w in self.wrappers.values())


@dataclass(frozen=True)
class L0Params:
    l0_weight: float = 0.1  # lambda, per training example
    gates: str = "weight"  # "weight": one gate per weight (State of Sparsity); "unit": one per output unit
    initial_log_alpha: float = (
        2.197  # gates start open with probability ~0.9 (log(0.9 / 0.1), a State of Sparsity value)
    )

    def __post_init__(self):
        if self.gates not in GATES:
            raise ValueError(f"l0 gates: {self.gates!r} is not one of {list(GATES)}")


@PRUNING_METHODS.register("l0")
class L0Regularization(DuringTrainingMethod):
    Params = L0Params
    sparsity_is_outcome = True

    def sparsifier(self, model, sparsity, layers, scope, seed, plan):
        return L0Sparsifier(model, layers, self.params, plan)
