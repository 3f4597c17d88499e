"""The search stage: a structured-search method's gates learnt on a frozen network (Algorithm 1 of DDNP), judged
after every epoch on a held-out part of the training set with the noiseless hard masks. The test set is never seen.

Randomness, each from its own stream of (seed, purpose): the pruning subset and the order of its examples
(Stream.DATA_ORDER), the searcher's parameters and fixed random inputs (Stream.INIT), gate noise
(Stream.SEARCH_NOISE). A searcher that asks for feature norms (`Searcher.uses_feature_norms`) gets them from one pass
over the pruning subset with every gate open, before the first step.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.data import PreparedData, to_float
from prunebench.determinism import Stream, generator, use_global_stream
from prunebench.pruning.search.base import Searcher, StructuredSearchMethod
from prunebench.pruning.search.flops import FlopsModel
from prunebench.pruning.search.gating import ChannelGates, GatePoint
from prunebench.training.evaluate import evaluate
from prunebench.training.failure import TrainingDiverged

log = logging.getLogger(__name__)

SELECTIONS = ("last", "best_heldout")
STAGE = "search"


@dataclass(frozen=True)
class SearchSettings:
    epochs: int = 200  # the document: 200
    batch_size: int = 128
    prune_size: int = 2500  # the pruning subset D of Algorithm 1, drawn from the training split (the document: 2,500)
    # "last": the gates at the end of the search (the document); "best_heldout": the epoch of best held-out accuracy
    # among those within the FLOPs budget (the authors' code keeps the best *test* accuracy; here never the test set)
    select: str = "last"
    # bring the selected widths to the exact FLOPs budget after the search (prunebench.pruning.search.projection)
    project_to_budget: bool = False

    def __post_init__(self):
        if self.select not in SELECTIONS:
            raise ValueError(f"search select: {self.select!r} is not one of {list(SELECTIONS)}")


@dataclass
class SearchData:
    prune_x: torch.Tensor  # uint8 images the gates are learnt on
    prune_y: torch.Tensor
    heldout_x: torch.Tensor  # uint8 images each epoch's masks are judged on
    heldout_y: torch.Tensor


def search_data(data: PreparedData, prune_size: int, seed: int) -> SearchData:
    """The pruning subset: `prune_size` training images drawn at random; held out: the validation split (carved from
    the training set before any training)."""
    if not 0 < prune_size <= len(data.train_y):
        raise ValueError(
            f"search prune_size={prune_size} is out of range: the training split has {len(data.train_y)} images"
        )
    chosen = torch.randperm(len(data.train_y), generator=generator(seed, Stream.DATA_ORDER, STAGE, "subset"))[
        :prune_size
    ]
    return SearchData(data.train_x[chosen], data.train_y[chosen], data.val_x, data.val_y)


@dataclass
class SearchResult:
    masks: dict[str, torch.Tensor]  # {prunable layer name: bool mask of kept output channels} of the selected epoch
    history: list[dict]  # one row per epoch, epoch 0 = before any update
    selected_epoch: int
    failed: str | None = None  # why the search stopped early (a non-finite loss), None when it ran to the end
    scores: dict[str, torch.Tensor] | None = None  # the selected epoch's channel ranking per layer (channel_scores)


@contextmanager
def frozen(model: nn.Module):
    """The backbone frozen while the gates learn: no parameter gradients, BatchNorm on its running statistics."""
    was = [(param, param.requires_grad) for param in model.parameters()]
    for param, _ in was:
        param.requires_grad_(False)
    model.eval()
    try:
        yield model
    finally:
        for param, requires_grad in was:
            param.requires_grad_(requires_grad)


def judge(
    model: nn.Module, gates: ChannelGates, searcher: Searcher, data: SearchData
) -> tuple[dict, list[torch.Tensor]]:
    """The held-out metrics, FLOPs and widths of the searcher's hard masks, and those masks."""
    masks = searcher.final_masks()
    gates.set([m.float() for m in masks])
    heldout = evaluate(model, data.heldout_x, data.heldout_y)
    kept = torch.tensor([int(m.sum()) for m in masks], dtype=torch.float64)
    hard_flops = float(searcher.flops(kept))
    row = {"heldout_loss": heldout["loss"], "heldout_accuracy": heldout["accuracy"]}
    row.update(flops=hard_flops, flops_ratio=hard_flops / searcher.flops.full)
    row["within_budget"] = hard_flops - searcher.offset <= searcher.budget * (1 + 1e-9)
    row.update(searcher.gate_state())
    row.update({f"kept_{i}": int(k) for i, k in enumerate(kept)})
    return row, masks


def search(
    model: nn.Module,
    prunable: dict[str, int],
    flops: FlopsModel,
    data: SearchData,
    method: StructuredSearchMethod,
    p: float,
    settings: SearchSettings,
    seed: int,
    record_divergence: bool = False,
    points: dict[str, list[GatePoint]] | None = None,
) -> SearchResult:
    """Learn `method`'s gates on the channels of the `prunable` layers ({module name: output channels}, in network
    order) of the frozen `model` at FLOPs budget `p` (the fraction of FLOPs kept). `flops` gives the network's FLOPs
    from those layers' widths; `points`: where each layer is gated (`ChannelGates`; default the named module's output).

    History rows: epoch, prune_loss / prune_accuracy (running means over the epoch, training masks; None at epoch 0),
    heldout_loss / heldout_accuracy (hard masks), flops (of the hard masks, one example) and flops_ratio (of the full
    network's), within_budget, the searcher's `gate_state` columns, and kept_<l> (channels kept in prunable layer l).
    A non-finite loss stops the search at the end of its epoch: TrainingDiverged is raised, or with `record_divergence`
    the masks are selected (settings.select) among the epochs before, which the history holds, and `failed` says
    where it diverged."""
    if list(flops.channels) != list(prunable.values()):
        raise ValueError(
            f"FLOPs model widths {list(flops.channels)} differ from the prunable layers' {list(prunable.values())}"
        )
    device = next(model.parameters()).device
    use_global_stream(seed, Stream.INIT, STAGE)
    searcher = method.searcher(flops, p, generator(seed, Stream.SEARCH_NOISE, STAGE)).to(device)
    optimizers, schedulers = searcher.optimizers(settings.epochs)
    order_generator = generator(seed, Stream.DATA_ORDER, STAGE)
    n = len(data.prune_y)
    history, snapshots, rankings, failed = [], [], [], None

    def record(epoch: int, running: dict) -> None:
        searcher.eval()
        row, masks = judge(model, gates, searcher, data)
        history.append({"epoch": epoch, **running, **row})
        snapshots.append(dict(zip(prunable, (m.cpu() for m in masks))))
        rankings.append(dict(zip(prunable, (s.cpu() for s in searcher.channel_scores()))))
        log.info("search epoch %d: %s", epoch, history[-1])

    with frozen(model), ChannelGates(model, prunable, points) as gates:
        if searcher.uses_feature_norms:
            searcher.set_feature_norms(feature_norms(model, gates, data.prune_x, settings.batch_size, device))
        record(0, {"prune_loss": None, "prune_accuracy": None})
        for epoch in range(1, settings.epochs + 1):
            searcher.train()
            order = torch.randperm(n, generator=order_generator)
            loss_sum = torch.zeros((), device=device, dtype=torch.float64)
            correct = torch.zeros((), device=device, dtype=torch.int64)
            for start in range(0, n, settings.batch_size):
                idx = order[start : start + settings.batch_size]
                xb, yb = to_float(data.prune_x[idx]).to(device), data.prune_y[idx].to(device)
                gates.set(searcher.train_masks())
                logits = model(xb)
                loss = F.cross_entropy(logits, yb)
                for optimizer in optimizers:
                    optimizer.zero_grad(set_to_none=True)
                (loss + searcher.penalty()).backward()
                for optimizer in optimizers:
                    optimizer.step()
                loss_sum += loss.detach() * len(idx)
                correct += (logits.detach().argmax(1) == yb).sum()
            for scheduler in schedulers:
                scheduler.step()
            if not torch.isfinite(loss_sum):
                failed = f"search: non-finite loss in epoch {epoch}"
                if not record_divergence:
                    raise TrainingDiverged(f"{failed} (config strict: true; with false, the run is recorded as failed)")
                log.warning("%s; stopped, selecting among the epochs before", failed)
                break
            record(epoch, {"prune_loss": loss_sum.item() / n, "prune_accuracy": correct.item() / n})
    selected = select_epoch(history, settings.select)
    return SearchResult(snapshots[selected], history, selected, failed, rankings[selected])


@torch.no_grad()
def feature_norms(
    model: nn.Module, gates: ChannelGates, images: torch.Tensor, batch_size: int, device: torch.device
) -> list[torch.Tensor]:
    """Per gated layer, each channel's squared norm over `images` (uint8) with every gate open."""
    gates.set(None)
    gates.record_norms()
    for start in range(0, len(images), batch_size):
        model(to_float(images[start : start + batch_size]).to(device))
    return gates.recorded_norms()


def select_epoch(history: list[dict], select: str) -> int:
    if select == "last":
        return len(history) - 1
    within = [row for row in history if row["within_budget"]]
    if not within:
        return len(history) - 1
    return max(within, key=lambda row: (row["heldout_accuracy"], row["epoch"]))["epoch"]
