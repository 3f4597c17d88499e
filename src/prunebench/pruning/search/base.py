"""What every structured-search method shares (DESIGN.md's "structured search" family: train -> search -> slim ->
fine-tune -> evaluate): its parameters, the FLOPs budget, and the searcher the search loop drives.

A searcher is a small module of learnable gate parameters over a frozen network. Each step the loop asks it for the
masks of the prunable layers' channels (`train_masks`), runs the gated network on a batch, and adds its `penalty`
(computed from those same masks) to the cross-entropy; at evaluation it gives noiseless 0/1 masks (`final_masks`).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.methods import PruningMethod
from prunebench.pruning.search.flops import BUDGET_SCOPES, REGULARIZERS, FlopsModel, budget_flops, flops_regularizer


@dataclass(frozen=True)
class SearchParams:
    lr: float = 1e-3  # Adam, constant (the document: 1e-3)
    lam: float = 2.0  # lambda of Eq. 10 (the document: 2 on CIFAR-10, 4 on ImageNet; the authors' CIFAR code: 4)
    regularizer: str = "one_sided"  # R of Eq. 10 ("one_sided", the document) or "two_sided" (the authors' code)
    budget_scope: str = "prunable"  # pT of the prunable FLOPs (the document) or of all FLOPs ("total")

    def __post_init__(self):
        if self.regularizer not in REGULARIZERS:
            raise ValueError(f"regularizer: {self.regularizer!r} is not one of {list(REGULARIZERS)}")
        if self.budget_scope not in BUDGET_SCOPES:
            raise ValueError(f"budget_scope: {self.budget_scope!r} is not one of {list(BUDGET_SCOPES)}")


class Searcher(nn.Module):
    def __init__(self, flops: FlopsModel, p: float, params: SearchParams):
        super().__init__()
        self.flops, self.params = flops, params
        self.offset, self.budget = budget_flops(flops, p, params.budget_scope)

    @property
    def channels(self) -> list[int]:
        return list(self.flops.channels)

    def flops_penalty(self, widths: torch.Tensor) -> torch.Tensor:
        """lambda R(T(w), pT) for real-valued widths w (channels)."""
        return self.params.lam * flops_regularizer(self.flops(widths) - self.offset, self.budget, self.params.regularizer)

    def train_masks(self) -> list[torch.Tensor]:
        raise NotImplementedError

    def penalty(self) -> torch.Tensor:
        """The regularization of the masks of the last `train_masks` call."""
        raise NotImplementedError

    @torch.no_grad()
    def final_masks(self) -> list[torch.Tensor]:
        """Noiseless 0/1 masks (bool), each keeping at least one channel."""
        raise NotImplementedError


class StructuredSearchMethod(PruningMethod):
    family = "structured_search"
    structure = "channel"
    Params = SearchParams

    def searcher(self, flops: FlopsModel, p: float, noise: torch.Generator) -> Searcher:
        """The searcher at FLOPs budget `p` (its parameters drawn from torch's global RNG, which the search loop
        points at the initialization stream; `noise`: the search-noise stream for gates that sample)."""
        raise NotImplementedError
