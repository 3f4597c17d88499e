"""DDNP: Disentangled Differentiable Network Pruning (Gao, Huang, Zhang & Huang, ECCV 2022), Algorithm 1.

Each step: widths k = g_k(x_k) (Eq. 9), scores s-bar = g_s(x_s) (Eq. 8) and s = f(s-bar); the soft top-k mask of
each layer (Eq. 7, window gamma = round(0.1 C_l)) in the order of s, with the straight-through gradient for s; the
objective of Eq. 10, J = L + lambda R(T(k), pT) + rho C(k, S), with the constraint of Eq. 5,
C = Sum_l (k_l - mean_i sigmoid(s-bar_i / t))^2 (s-bar_0 = 0). Step 4 of Algorithm 1 takes the gradients of the two
generators separately: theta_s from L + rho C, theta_k from lambda R + rho C. Here that is one backward pass with the
width detached where it enters the masks (the loss never reaches theta_k) and each side of C differentiated against
the other held fixed. At the end, Eq. 2: the round(C_l k_l) channels of highest score.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.search.base import SearchParams, Searcher, StructuredSearchMethod, choice
from prunebench.pruning.search.generators import (
    IMPORTANCE_ARCHITECTURES,
    SCORE_FUNCTIONS,
    ImportanceGenerator,
    WidthGenerator,
)
from prunebench.pruning.search.topk import hard_topk_mask, soft_topk_mask, window

CONSISTENCY = ("squared", "log_abs")
SATURATED = 4.0  # |s-bar / t| beyond which sigmoid' < 0.018: the constraint hardly moves that score any more


@dataclass(frozen=True)
class DDNPParams(SearchParams):
    rho: float = 2.0  # weight of the constraint C (Eq. 10)
    temperature: float = 0.4  # t of Eq. 5
    window: float = 0.1  # gamma = round(window * C_l) (the document: 0.1; the authors' code: 0.05; 0: hard top-k)
    width_bias: float = 3.0  # added before g_k's sigmoid: the search starts from the whole network
    importance: str = choice("gru_fc", IMPORTANCE_ARCHITECTURES)  # g_s: "gru_fc" (the document), "fc", "channel"
    score_function: str = choice(
        "sigmoid", tuple(SCORE_FUNCTIONS)
    )  # s = f(s-bar): "sigmoid" (the document), "abs", "square"
    consistency: str = choice(
        "squared", CONSISTENCY
    )  # C: (k - m)^2 (Eq. 5) or |log k - log m| ("log_abs", the authors' code)

    def __post_init__(self):
        super().__post_init__()
        if not 0 <= self.window <= 1:
            raise ValueError(f"ddnp window: {self.window} is not in [0, 1]")


def consistency(k: torch.Tensor, fraction: torch.Tensor, form: str) -> torch.Tensor:
    if form == "squared":
        return (k - fraction) ** 2
    return (torch.log(k) - torch.log(fraction)).abs()


class DDNPSearcher(Searcher):
    def __init__(self, flops, p, params: DDNPParams):
        super().__init__(flops, p, params)
        self.width_generator = WidthGenerator(len(self.channels), params.width_bias)
        self.importance_generator = ImportanceGenerator(self.channels, params.importance)
        self.windows = [window(c, params.window) for c in self.channels]
        self.score_function = SCORE_FUNCTIONS[params.score_function]
        self._state = None

    def train_masks(self):
        k = self.width_generator()
        raw = self.importance_generator()
        masks = [
            soft_topk_mask(self.score_function(s), k_l.detach(), gamma) for s, k_l, gamma in zip(raw, k, self.windows)
        ]
        self._state = (k, raw)
        return masks

    def penalty(self):
        k, raw = self._state
        params: DDNPParams = self.params
        widths = k * torch.tensor(self.channels, dtype=k.dtype, device=k.device)
        fractions = torch.stack([torch.sigmoid(s / params.temperature).mean() for s in raw])
        # dC/dtheta_k with the scores held, dC/dtheta_s with the widths held (step 4 of Algorithm 1); the value is C
        width_side = consistency(k, fractions.detach(), params.consistency)
        score_side = consistency(k.detach(), fractions, params.consistency)
        constraint = width_side + score_side - width_side.detach()
        return self.flops_penalty(widths) + params.rho * constraint.sum()

    @torch.no_grad()
    def gate_state(self):
        """The mean width k, the mean of Eq. 5's score fractions m, and the share of saturated scores."""
        t = self.params.temperature
        raw = self.importance_generator()
        fractions = torch.stack([torch.sigmoid(s / t).mean() for s in raw])
        saturated = torch.cat([(s / t).abs() > SATURATED for s in raw]).double().mean()
        return {
            "mean_width": float(self.width_generator().mean()),
            "mean_score_fraction": float(fractions.mean()),
            "scores_saturated": float(saturated),
        }

    @torch.no_grad()
    def final_masks(self):
        k = self.width_generator()
        return [hard_topk_mask(self.score_function(s), k_l) for s, k_l in zip(self.importance_generator(), k)]


@PRUNING_METHODS.register("ddnp")
class DDNP(StructuredSearchMethod):
    Params = DDNPParams

    def searcher(self, flops, p, noise):
        return DDNPSearcher(flops, p, self.params)
