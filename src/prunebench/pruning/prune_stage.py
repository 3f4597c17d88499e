"""The prune stage: a criterion variant's masks on a trained model at one target, saved with their per-layer record
(masks.pt, masks.json). The prune rule runs it alone; prune_evaluate evaluates the pruned model in the same job."""

import logging

import torch.nn as nn

from prunebench.atomic import save_torch, write_json
from prunebench.data import PreparedData
from prunebench.provenance import provenance
from prunebench.pruning.stats import mask_stats
from prunebench.pruning.variant import Variant


def prune_trained(
    variant: Variant,
    model: nn.Module,
    spec: dict,
    target: float,
    seed: int,
    data: PreparedData | None,
    outputs: tuple[str, str],
    log: logging.Logger,
) -> dict:
    """`variant`'s masks on `model` at `target` (of weights, units or FLOPs removed: the method's measure), written to
    `outputs` (masks, their record); returns the masks. `data`: the prepared data, for a criterion that needs it."""
    masks = variant.masks(model, target, seed, data, tuple(spec["input_shape"]))
    stats = mask_stats(masks)
    log.info("%s at %s: %s", variant.method, target, stats)
    masks_path, stats_path = outputs
    save_torch(masks_path, masks)
    write_json(stats_path, {"layers": stats, "provenance": provenance({**variant.as_dict(), "target": target}, seed)})
    return masks
