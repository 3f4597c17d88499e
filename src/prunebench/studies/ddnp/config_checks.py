"""Cross-key checks of study 002's config (found by prunebench.config, beside the study's schema)."""
from __future__ import annotations

from prunebench.pruning import PRUNING_METHODS


def config_errors(cfg: dict, config: dict) -> list[str]:
    """Every variant prunes channels (its sparsity is the fraction of FLOPs removed, its network is slimmed)."""
    return [
        f"config key studies.ddnp.prune.variants.{name}.method: {variant['method']!r} does not prune channels "
        f"(channel methods: {[m for m in PRUNING_METHODS.names() if PRUNING_METHODS[m].structure == 'channel']})"
        for name, variant in cfg["prune"]["variants"].items()
        if PRUNING_METHODS[variant["method"]].structure != "channel"
    ]
