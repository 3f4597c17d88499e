"""Pruning: importance criteria (methods.py, the one place to add a method) and the act of pruning (masks.py).

Masks are the single representation of a pruned network: {parameter name: 0/1 tensor of the weight's shape}.
"""
from prunebench.pruning.layers import LAYER_SELECTIONS, prunable_weights
from prunebench.pruning.masks import apply_masks, compute_masks, load_masks
from prunebench.pruning.methods import PRUNING_METHODS, PruningMethod
from prunebench.pruning.stats import mask_stats

__all__ = [
    "LAYER_SELECTIONS",
    "PRUNING_METHODS",
    "PruningMethod",
    "apply_masks",
    "compute_masks",
    "load_masks",
    "mask_stats",
    "prunable_weights",
]
