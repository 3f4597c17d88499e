"""DDNP: Disentangled Differentiable Network Pruning (Gao, Huang, Zhang & Huang, ECCV 2022), Algorithm 1.

Each step: widths k = g_k(x_k) (Eq. 9), scores s-bar = g_s(x_s) (Eq. 8) and s = f(s-bar - s0); the soft top-k mask of
each layer (Eq. 7, window gamma = round(0.1 C_l)) in the order of s, with a straight-through gradient for the scores;
the objective of Eq. 10, J = L + lambda R(T(k), pT) + rho C(k, S), with the constraint of Eq. 5,
C = Sum_l (k_l - mean_i sigmoid((s-bar_i - s0) / t))^2. Step 4 of Algorithm 1 takes the gradients of the two
generators separately: theta_s from L + rho C, theta_k from lambda R + rho C. Here that is one backward pass with the
width detached where it enters the masks (the loss never reaches theta_k) and each side of C differentiated against
the other held fixed. At the end, Eq. 2: the round(C_l k_l) channels of highest score.

The score path (docs/studies/002-ddnp.md, "The search"): read literally (s0 = 0, `score_path: plain`), the scores
start at m = mean sigmoid(s-bar / t) ~ 0.5 while k starts at sigmoid(3) ~ 0.95, so C pushes every score up, they
saturate within a few dozen steps and the search stalls above its budget; and the loss reaches s-bar through f(s-bar)
while Eq. 5 uses sigmoid(s-bar / t). Repaired (the defaults): the offset s0 = -3 starts m near the whole network, as
the document's +3 starts k, and the straight-through gradient flows through the same sigmoid((s-bar - s0) / t) as
Eq. 5 (`score_path: tempered`).
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
SCORE_PATHS = ("plain", "tempered")
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
    # s0: the scores enter as s-bar - s0 (the document: 0; repaired: -3, so that m starts near 1 as k does)
    score_offset: float = -3.0
    # the loss's straight-through path to s-bar: through f ("plain", the document) or through Eq. 5's sigmoid
    # ((s-bar - s0) / t) ("tempered", repaired)
    score_path: str = choice("tempered", SCORE_PATHS)

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

    def shifted_scores(self) -> list[torch.Tensor]:
        """s-bar - s0 of every layer."""
        return [s - self.params.score_offset for s in self.importance_generator()]

    def fractions(self, shifted: list[torch.Tensor]) -> torch.Tensor:
        """m_l = mean_i sigmoid((s-bar_i - s0) / t) of Eq. 5, per layer."""
        return torch.stack([torch.sigmoid(u / self.params.temperature).mean() for u in shifted])

    def train_masks(self):
        k = self.width_generator()
        shifted = self.shifted_scores()
        t, tempered = self.params.temperature, self.params.score_path == "tempered"
        masks = [
            soft_topk_mask(self.score_function(u), k_l.detach(), gamma, torch.sigmoid(u / t) if tempered else None)
            for u, k_l, gamma in zip(shifted, k, self.windows)
        ]
        self._state = (k, shifted)
        return masks

    def penalty(self):
        k, shifted = self._state
        params: DDNPParams = self.params
        widths = k * torch.tensor(self.channels, dtype=k.dtype, device=k.device)
        fractions = self.fractions(shifted)
        # dC/dtheta_k with the scores held, dC/dtheta_s with the widths held (step 4 of Algorithm 1); the value is C
        width_side = consistency(k, fractions.detach(), params.consistency)
        score_side = consistency(k.detach(), fractions, params.consistency)
        constraint = width_side + score_side - width_side.detach()
        return self.flops_penalty(widths) + params.rho * constraint.sum()

    @torch.no_grad()
    def gate_state(self):
        """The mean width k, the mean of Eq. 5's score fractions m, and the share of saturated scores."""
        shifted = self.shifted_scores()
        saturated = torch.cat([(u / self.params.temperature).abs() > SATURATED for u in shifted]).double().mean()
        return {
            "mean_width": float(self.width_generator().mean()),
            "mean_score_fraction": float(self.fractions(shifted).mean()),
            "scores_saturated": float(saturated),
        }

    @torch.no_grad()
    def channel_scores(self):
        return [self.score_function(u) for u in self.shifted_scores()]

    @torch.no_grad()
    def final_masks(self):
        k = self.width_generator()
        return [hard_topk_mask(self.score_function(u), k_l) for u, k_l in zip(self.shifted_scores(), k)]


@PRUNING_METHODS.register("ddnp")
class DDNP(StructuredSearchMethod):
    Params = DDNPParams

    def searcher(self, flops, p, noise):
        return DDNPSearcher(flops, p, self.params)
