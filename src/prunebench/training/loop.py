from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn
from tqdm import tqdm

from prunebench.data import PreparedData
from prunebench.data.augment import augmented
from prunebench.determinism import Stream, generator, use_global_stream
from prunebench.training.config import TrainConfig
from prunebench.training.evaluate import evaluate
from prunebench.training.failure import TrainingDiverged
from prunebench.training.optim import make_optimizer, make_schedule, parameter_groups
from prunebench.training.sparsifier import Sparsifier

log = logging.getLogger(__name__)

# Called after every epoch (and once before the first) with (epoch, model); what it returns joins the history row.
EpochCallback = Callable[[int, nn.Module], dict]


@dataclass
class TrainResult:
    model: nn.Module  # with the weights of the selected epoch
    history: list[dict]  # one row per epoch, epoch 0 = before any update
    selected_epoch: int  # the epoch whose weights `model` holds (cfg.select decides, here and nowhere else)
    masks: dict[str, torch.Tensor]  # the sparsifier's masks at that epoch (empty without one)
    failed: str | None = None  # why training stopped early (a non-finite loss), None when it ran to the end


def loss_and_logits(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The training objective: a model with a `loss(x, y) -> (loss, logits)` method (e.g. Beta-VAE-Classif's
    beta * KL + reconstruction + cross-entropy) defines its own; every other model is trained on cross-entropy."""
    if hasattr(model, "loss"):
        return model.loss(x, y)
    logits = model(x)
    return F.cross_entropy(logits, y), logits


def training_images(data: PreparedData, cfg: TrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """The images a training run with `cfg` learns from: the first `train_subset` of the (shuffled) training split.
    Train-set metrics are measured on exactly these, never on training images the model did not see."""
    n = len(data.train_y) if cfg.train_subset is None else min(cfg.train_subset, len(data.train_y))
    return data.train_x[:n], data.train_y[:n]


def split_images(data: PreparedData, split: str, cfg: TrainConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """(images, labels) of "train" (the images trained on), "val" or "test"."""
    if split == "train":
        return training_images(data, cfg)
    return getattr(data, f"{split}_x"), getattr(data, f"{split}_y")


def train(
    model: nn.Module,
    data: PreparedData,
    cfg: TrainConfig,
    seed: int,
    stage: str,
    sparsifier: Sparsifier | None = None,
    on_epoch_end: EpochCallback | None = None,
    record_divergence: bool = False,
) -> TrainResult:
    """Train on the training images of `cfg` and select the weights of lowest validation loss (or of the last epoch
    with cfg.select == "last").

    `stage` names the phase ("dense", "finetune", ...): the data order and the in-forward noise come from streams of
    (seed, stage), so two phases of one run never share their random numbers.
    A `sparsifier` acts during training (prunebench.training.sparsifier): fixed masks held, masks recomputed on a
    schedule, a penalty added to the loss; its final masks are what the selected weights are measured with.
    History rows: epoch, train_loss, train_accuracy (running means over the epoch), val_loss, val_accuracy, lr,
    plus `<split>_eval_loss` / `<split>_eval_accuracy` for each split in `cfg.track` ("train": the training images,
    "test") evaluated after the epoch, plus what `on_epoch_end` returns.
    A non-finite objective stops training at the end of its epoch: TrainingDiverged is raised, or with
    `record_divergence` the result holds the weights selected among the epochs before and `failed` says where it
    diverged (the caller records the run as failed).
    """
    device = next(model.parameters()).device
    sparsifier = sparsifier or Sparsifier()
    optimizer = make_optimizer(parameter_groups(model, sparsifier.undecayed()), cfg)
    schedule = make_schedule(optimizer, cfg)
    order_generator = generator(seed, Stream.DATA_ORDER, stage)
    augment_generator = generator(seed, Stream.AUGMENTATION, stage)
    use_global_stream(seed, Stream.TRAINING_NOISE, stage)
    sparsifier.start(model)
    train_x, train_y = training_images(data, cfg)
    n = len(train_y)

    def record(epoch: int, train_metrics: dict) -> dict:
        val = evaluate(model, data.val_x, data.val_y)
        row = {"epoch": epoch, **{f"train_{k}": v for k, v in train_metrics.items()}}
        row.update(val_loss=val["loss"], val_accuracy=val["accuracy"], lr=optimizer.param_groups[0]["lr"])
        for split in cfg.track:
            metrics = (
                train_metrics if split == "train" and epoch == 0 else evaluate(model, *split_images(data, split, cfg))
            )
            row.update({f"{split}_eval_{k}": v for k, v in metrics.items()})
        if on_epoch_end is not None:
            row.update(on_epoch_end(epoch, model))
        log.info("epoch %d: %s", epoch, row)
        return row

    history = [record(0, evaluate(model, train_x, train_y))]
    best_state, best_epoch, best_masks = copy.deepcopy(model.state_dict()), 0, sparsifier.final_masks()
    step = 0
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        order = torch.randperm(n, generator=order_generator)
        loss_sum = torch.zeros((), device=device, dtype=torch.float64)
        correct = torch.zeros((), device=device, dtype=torch.int64)
        first_nonfinite_step = torch.full(
            (), -1, device=device, dtype=torch.int64
        )  # kept on the device: no sync per step
        for start in tqdm(range(0, n, cfg.batch_size), desc=f"epoch {epoch}", mininterval=10):
            idx = order[start : start + cfg.batch_size]
            xb, yb = augmented(train_x[idx], cfg.augment, augment_generator).to(device), train_y[idx].to(device)
            loss, logits = loss_and_logits(model, xb, yb)
            penalty = sparsifier.penalty(model)
            objective = loss if penalty is None else loss + penalty
            optimizer.zero_grad(set_to_none=True)
            objective.backward()
            optimizer.step()
            step += 1
            nonfinite = (first_nonfinite_step < 0) & ~torch.isfinite(objective.detach())
            first_nonfinite_step = torch.where(nonfinite, step, first_nonfinite_step)
            sparsifier.after_step(model, step)
            loss_sum += loss.detach() * len(idx)
            correct += (logits.detach().argmax(1) == yb).sum()
        model.eval()
        if (bad_step := int(first_nonfinite_step)) >= 0:
            reason = f"{stage} training: non-finite loss at epoch {epoch}, step {bad_step}"
            if not record_divergence:
                raise TrainingDiverged(f"{reason} (config strict: true; with false, the run is recorded as failed)")
            log.warning("%s; stopped, keeping the weights of epoch %d", reason, best_epoch)
            model.load_state_dict(best_state)
            return TrainResult(model, history, best_epoch, best_masks, failed=reason)
        history.append(record(epoch, {"loss": loss_sum.item() / n, "accuracy": correct.item() / n}))
        schedule.step()
        if cfg.select == "last" or history[-1]["val_loss"] < history[best_epoch]["val_loss"]:
            best_state, best_epoch, best_masks = copy.deepcopy(model.state_dict()), epoch, sparsifier.final_masks()
    model.load_state_dict(best_state)
    return TrainResult(model, history, best_epoch, best_masks)
