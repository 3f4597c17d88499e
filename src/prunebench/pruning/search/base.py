"""What every structured-search method shares (the "structured search" family of docs/architecture.md, "Pruning
families": train -> search -> slim -> fine-tune -> evaluate): its parameters, the FLOPs budget, and the searcher the
search loop drives.

A searcher is a small module of learnable gate parameters over a frozen network. Each step the loop asks it for the
masks of the prunable layers' channels (`train_masks`), runs the gated network on a batch, and adds its `penalty`
(computed from those same masks) to the cross-entropy; at evaluation it gives noiseless 0/1 masks (`final_masks`).
A searcher chooses its optimizers (`optimizers`; default: one Adam at `lr`) and may ask for the squared feature norms
of the gated channels on the pruning subset before the search (`uses_feature_norms`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import torch
from torch import nn

from prunebench.pruning.methods import PruningMethod
from prunebench.pruning.search.flops import BUDGET_SCOPES, REGULARIZERS, FlopsModel, budget_flops, flops_regularizer


def choice(default: str, choices: tuple[str, ...]):
    """A string parameter with a fixed set of values (checked on construction, and enumerated in the config schema)."""
    return field(default=default, metadata={"choices": choices})


def check_choices(params) -> None:
    for f in fields(params):
        value = getattr(params, f.name)
        if "choices" in f.metadata and value not in f.metadata["choices"]:
            raise ValueError(f"{type(params).__name__} {f.name}: {value!r} is not one of {list(f.metadata['choices'])}")


@dataclass(frozen=True)
class SearchParams:
    lr: float = 1e-3  # Adam, constant (the document: 1e-3)
    lam: float = 2.0  # lambda of Eq. 10 (the document: 2 on CIFAR-10, 4 on ImageNet; the authors' CIFAR code: 4)
    regularizer: str = choice("one_sided", REGULARIZERS)  # R of Eq. 10: "one_sided" (the document), "two_sided"
    budget_scope: str = choice("prunable", BUDGET_SCOPES)  # pT of the prunable FLOPs (the document) or of all FLOPs

    def __post_init__(self):
        check_choices(self)


class Searcher(nn.Module):
    uses_feature_norms = False  # the loop then calls set_feature_norms once, before the first step

    def __init__(self, flops: FlopsModel, p: float, params: SearchParams):
        super().__init__()
        self.flops, self.params = flops, params
        self.offset, self.budget = budget_flops(flops, p, params.budget_scope)

    @property
    def channels(self) -> list[int]:
        return list(self.flops.channels)

    def flops_penalty(self, widths: torch.Tensor) -> torch.Tensor:
        """lambda R(T(w), pT) for real-valued widths w (channels)."""
        return self.params.lam * flops_regularizer(
            self.flops(widths) - self.offset, self.budget, self.params.regularizer
        )

    def optimizers(self, epochs: int) -> tuple[list[torch.optim.Optimizer], list[torch.optim.lr_scheduler.LRScheduler]]:
        """The optimizers stepped after every batch and the schedulers stepped after every epoch of an `epochs`-long
        search."""
        return [torch.optim.Adam(self.parameters(), lr=self.params.lr)], []

    def set_feature_norms(self, norms: list[torch.Tensor]) -> None:
        """Per gated layer, each channel's squared feature norm (`ChannelGates.record_norms`)."""
        raise NotImplementedError

    def train_masks(self) -> list[torch.Tensor]:
        raise NotImplementedError

    def penalty(self) -> torch.Tensor:
        """The regularization of the masks of the last `train_masks` call."""
        raise NotImplementedError

    @torch.no_grad()
    def final_masks(self) -> list[torch.Tensor]:
        """Noiseless 0/1 masks (bool), each keeping at least one channel."""
        raise NotImplementedError

    @torch.no_grad()
    def channel_scores(self) -> list[torch.Tensor]:
        """Per layer, the search's ranking of its channels (higher: kept first), the order `final_masks` keeps them
        in."""
        raise NotImplementedError

    @torch.no_grad()
    def gate_state(self) -> dict[str, float]:
        """A few numbers that say where the gate parameters stand (a column each in the search history)."""
        return {}


class StructuredSearchMethod(PruningMethod):
    family = "structured_search"
    structure = "channel"
    Params = SearchParams

    def searcher(self, flops: FlopsModel, p: float, noise: torch.Generator) -> Searcher:
        """The searcher at FLOPs budget `p` (its parameters drawn from torch's global RNG, which the search loop
        points at the initialization stream; `noise`: the search-noise stream for gates that sample)."""
        raise NotImplementedError
