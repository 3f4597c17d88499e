"""DP: the differentiable-pruning baseline of DDNP's Section 5.4 (Gao et al., ECCV 2022): one learnable logit per
channel, a Gumbel-sigmoid gate z = sigmoid((theta + log u - log(1 - u)) / tau) with logistic noise, thresholded at
1/2 in the forward pass with the straight-through gradient of z, and the same FLOPs regularizer on the widths
w_l = Sum_i z_i. The document gives no temperature of its own for DP: tau defaults to its t = 0.4 (the authors' code
also uses 0.4 in its Gumbel-sigmoid). At evaluation the gates are noiseless: a channel is kept where theta > 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.search.base import SearchParams, Searcher, StructuredSearchMethod

EPSILON = 1e-8


@dataclass(frozen=True)
class DPParams(SearchParams):
    temperature: float = 0.4  # tau of the Gumbel-sigmoid
    initial_logit: float = 3.0  # every gate starts open (as DDNP starts from the whole network)


def gumbel_sigmoid_gate(logits: torch.Tensor, temperature: float, noise: torch.Generator) -> torch.Tensor:
    """0/1 in the forward pass, the gradient of the relaxed gate z in the backward pass."""
    u = torch.rand(logits.shape, generator=noise, dtype=logits.dtype).to(logits.device)
    z = torch.sigmoid((logits + torch.log(u + EPSILON) - torch.log1p(-u)) / temperature)
    return (z >= 0.5).to(z.dtype) - z.detach() + z


def noiseless_gate(logits: torch.Tensor) -> torch.Tensor:
    """The evaluation gate, the top logit kept where all are closed (a layer keeps at least one channel)."""
    keep = logits > 0
    if not keep.any():
        keep[logits.argmax()] = True
    return keep


class DPSearcher(Searcher):
    def __init__(self, flops, p, params: DPParams, noise: torch.Generator):
        super().__init__(flops, p, params)
        self.logits = nn.ParameterList(nn.Parameter(torch.full((c,), params.initial_logit)) for c in self.channels)
        self.noise = noise
        self._gates = None

    def train_masks(self):
        self._gates = [gumbel_sigmoid_gate(theta, self.params.temperature, self.noise) for theta in self.logits]
        return self._gates

    def penalty(self):
        return self.flops_penalty(torch.stack([g.sum() for g in self._gates]))

    @torch.no_grad()
    def gate_state(self):
        """The mean and the smallest gate logit (a gate closes at evaluation when its logit falls below 0)."""
        logits = torch.cat(list(self.logits))
        return {"mean_logit": float(logits.mean()), "min_logit": float(logits.min())}

    @torch.no_grad()
    def final_masks(self):
        return [noiseless_gate(theta) for theta in self.logits]


@PRUNING_METHODS.register("dp")
class DifferentiablePruning(StructuredSearchMethod):
    Params = DPParams

    def searcher(self, flops, p, noise):
        return DPSearcher(flops, p, self.params, noise)
