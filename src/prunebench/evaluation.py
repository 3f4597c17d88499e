"""The evaluation stage's record of a pruned model: loss and accuracy on every split, every cost measure, and (apart,
as a timing) its forward latency. Written by the evaluate rule, by prune_evaluate where a criterion's pruned model
goes straight to evaluation, and by train_sparse for the model it trains."""

import torch.nn as nn

from prunebench.data import PreparedData
from prunebench.metrics import cost_record, slimmed_latency
from prunebench.provenance import provenance
from prunebench.training import TrainConfig, evaluate, split_images
from prunebench.training.failure import unmeasured


def evaluation_record(
    model: nn.Module,
    masks: dict,
    data: PreparedData,
    trained_on: TrainConfig,
    failed: str | None,
    run: dict,
    seed: int,
) -> dict:
    """`model` with `masks` applied, evaluated on `data`'s splits as `trained_on` selects them (its train-set metrics
    use exactly the images it was trained on). A failed run (`failed`: why) keeps its costs and has no loss or
    accuracy. `run`: what the provenance records (the model's spec and the job's wildcards)."""
    splits = {split: evaluate(model, *split_images(data, split, trained_on)) for split in ("test", "val", "train")}
    metrics = {
        **({split: unmeasured(split_metrics) for split, split_metrics in splits.items()} if failed else splits),
        "train_images": len(split_images(data, "train", trained_on)[1]),
        "cost": cost_record(model, data.input_shape, masks),
    }
    return {
        "metrics": metrics,
        **({"failed": failed} if failed else {}),
        "timing": {"latency": slimmed_latency(model, data.input_shape, masks)},  # not bitwise reproducible
        "provenance": provenance(run, seed, data.checksum()),
    }
