"""003 part 2: one retraining from a set of masks (a lottery-ticket level, a control, Scratch-E / Scratch-B) and what
it measures; the jobs of 003-F2 and 003-F6 all call `retrain`."""

from __future__ import annotations

import math

import torch
from torch import nn

from prunebench.data import PreparedData
from prunebench.determinism import device
from prunebench.metrics.cost import forward_flops, remaining_weight_flops
from prunebench.pruning import FixedMasks
from prunebench.pruning.iterative import ARMS, retraining_start, scratch_b_epochs
from prunebench.training import TrainConfig, evaluate, train
from prunebench.training.failure import unmeasured

STAGE = "retrain"  # every arm of a run sees the same data order: two arms differ in their start, nothing else


def retrain(
    arm: str,
    masks: dict[str, torch.Tensor],
    rewind: nn.Module,
    spec: dict,
    data: PreparedData,
    train_cfg: dict,
    seed: int,
    record_divergence: bool = False,
    failed_before: str | None = None,
    reinit_scaling: str = "density",
    scratch_b_max_factor: float | None = None,
) -> tuple[nn.Module, dict[str, torch.Tensor], dict, str | None]:
    """Train `arm` of ARMS from `masks` (the rewind point: `rewind`'s weights) under fixed masks with `train_cfg`;
    Scratch-B's epochs are `train_cfg`'s (the base budget: the dense run's) scaled by the FLOPs ratio, capped at
    `scratch_b_max_factor` x when given; a fresh initialization is scaled by `reinit_scaling` (retraining_start).
    Returns the trained model, its masks, its
    metrics (test / val loss and accuracy, sparsity, epochs and the FLOPs, counting only the remaining weights) and
    why it failed: `failed_before` (a failed training the masks or the rewind point come from) or its own divergence
    (raised unless `record_divergence`); a failed retraining's loss and accuracy are unmeasured."""
    start, masks = retraining_start(arm, masks, rewind.state_dict(), spec, seed, reinit_scaling)
    start = start.to(device())
    dense_flops = forward_flops(start, data.input_shape)
    pruned_flops = remaining_weight_flops(start, masks, data.input_shape)
    epochs = train_cfg["epochs"]
    if ARMS[arm]["epochs"] == "same_compute":
        epochs = scratch_b_epochs(epochs, dense_flops, pruned_flops, scratch_b_max_factor)
    cfg = TrainConfig.from_dict({**train_cfg, "epochs": epochs})
    result = train(
        start, data, cfg, seed, stage=STAGE, sparsifier=FixedMasks(masks), record_divergence=record_divergence
    )
    failed = failed_before or result.failed
    removed, total = sum(int((m == 0).sum()) for m in masks.values()), sum(m.numel() for m in masks.values())
    splits = {
        split: evaluate(result.model, getattr(data, f"{split}_x"), getattr(data, f"{split}_y"))
        for split in ("val", "test")
    }
    metrics = {
        "arm": arm,
        "epochs": epochs,
        "sparsity": removed / total if total else math.nan,  # none: from a failed run that set no mask
        "dense_flops": dense_flops,
        "remaining_flops": pruned_flops,
        **({split: unmeasured(m) for split, m in splits.items()} if failed else splits),
    }
    return result.model, masks, metrics, failed
