"""Pruning: importance criteria (methods.py, the one registry of methods, which other packages extend through the
`prunebench.methods` entry points; params.py turns a method's parameter dataclass into its config schema) and the act
of pruning (masks.py).

Masks are the single representation of a pruned network: {parameter name: 0/1 tensor of the weight's shape}.
"""

from prunebench.pruning.channels import ChannelSpace, channel_prunable
from prunebench.pruning.layers import LAYER_SELECTIONS, prunable_weights
from prunebench.pruning.masks import SCOPES, apply_masks, compute_masks, load_masks
from prunebench.pruning.methods import (
    FAMILIES,
    FAMILY_STAGES,
    PRUNING_METHODS,
    TARGET_MEASURES,
    PruningContext,
    PruningMethod,
)
from prunebench.pruning.params import method_params, variant_schema_rules
from prunebench.pruning.sparsifier import FixedMasks, RecomputedMasks, variant_sparsifier
from prunebench.pruning.slimming import slim, slimming_record
from prunebench.pruning.stats import mask_stats
from prunebench.pruning.variant import Variant
from prunebench.pruning import during_training  # noqa: E402,F401  (registers the training-time methods)
from prunebench.pruning import search  # noqa: E402,F401  (registers the structured-search methods)

__all__ = [
    "ChannelSpace",
    "FAMILIES",
    "FAMILY_STAGES",
    "FixedMasks",
    "LAYER_SELECTIONS",
    "PRUNING_METHODS",
    "PruningContext",
    "PruningMethod",
    "RecomputedMasks",
    "SCOPES",
    "TARGET_MEASURES",
    "Variant",
    "apply_masks",
    "channel_prunable",
    "compute_masks",
    "load_masks",
    "mask_stats",
    "method_params",
    "prunable_weights",
    "slim",
    "slimming_record",
    "variant_schema_rules",
    "variant_sparsifier",
]
