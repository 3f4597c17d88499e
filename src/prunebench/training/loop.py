from __future__ import annotations

import copy
import logging
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from prunebench.data import PreparedData, to_float
from prunebench.pruning import apply_masks
from prunebench.training.config import TrainConfig
from prunebench.training.evaluate import evaluate
from prunebench.training.optim import make_optimizer, make_schedule

log = logging.getLogger(__name__)

# Called after every epoch (and once before the first) with (epoch, model); what it returns joins the history row.
EpochCallback = Callable[[int, nn.Module], dict]


def loss_and_logits(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The training objective: a model with a `loss(x, y) -> (loss, logits)` method (e.g. Beta-VAE-Classif's
    beta * KL + reconstruction + cross-entropy) defines its own; every other model is trained on cross-entropy."""
    if hasattr(model, "loss"):
        return model.loss(x, y)
    logits = model(x)
    return F.cross_entropy(logits, y), logits


def train(
    model: nn.Module,
    data: PreparedData,
    cfg: TrainConfig,
    generator: torch.Generator,
    masks: dict[str, torch.Tensor] | None = None,
    track: tuple[str, ...] = (),
    on_epoch_end: EpochCallback | None = None,
) -> tuple[nn.Module, list[dict]]:
    """Train on data.train and return (model, history): the model of lowest validation loss, or of the last
    epoch with cfg.select == "last".

    With `masks`, the masked weights are zeroed before training and after every step (masks held).
    History rows: epoch, train_loss, train_accuracy (running means over the epoch), val_loss, val_accuracy, lr,
    plus `<split>_eval_loss` / `<split>_eval_accuracy` for each split in `track` ("train", "test") evaluated
    after the epoch, plus what `on_epoch_end` returns. Epoch 0 is the model before any update.
    """
    device = next(model.parameters()).device
    optimizer = make_optimizer(model.parameters(), cfg)
    schedule = make_schedule(optimizer, cfg)
    if masks:
        apply_masks(model, masks)

    def record(epoch: int, train_metrics: dict) -> dict:
        val = evaluate(model, data.val_x, data.val_y)
        row = {"epoch": epoch, **{f"train_{k}": v for k, v in train_metrics.items()}}
        row.update(val_loss=val["loss"], val_accuracy=val["accuracy"], lr=optimizer.param_groups[0]["lr"])
        for split in track:
            metrics = evaluate(model, getattr(data, f"{split}_x"), getattr(data, f"{split}_y"))
            row.update({f"{split}_eval_{k}": v for k, v in metrics.items()})
        if on_epoch_end is not None:
            row.update(on_epoch_end(epoch, model))
        log.info("epoch %d: %s", epoch, row)
        return row

    history = [record(0, evaluate(model, data.train_x, data.train_y))]
    best_state, best_loss = copy.deepcopy(model.state_dict()), history[0]["val_loss"]
    n = len(data.train_y) if cfg.train_subset is None else min(cfg.train_subset, len(data.train_y))
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        order = torch.randperm(n, generator=generator)
        loss_sum, correct = 0.0, 0
        for start in tqdm(range(0, n, cfg.batch_size), desc=f"epoch {epoch}", mininterval=10):
            idx = order[start : start + cfg.batch_size]
            xb, yb = to_float(data.train_x[idx]).to(device), data.train_y[idx].to(device)
            loss, logits = loss_and_logits(model, xb, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if masks:
                apply_masks(model, masks)
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb).sum().item()
        model.eval()
        history.append(record(epoch, {"loss": loss_sum / n, "accuracy": correct / n}))
        schedule.step()
        if cfg.select == "last" or history[-1]["val_loss"] < best_loss:
            best_state, best_loss = copy.deepcopy(model.state_dict()), history[-1]["val_loss"]
    model.load_state_dict(best_state)
    return model, history
