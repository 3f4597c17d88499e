"""Cross-key checks of study 002's config (found by prunebench.config, beside the study's schema)."""

from __future__ import annotations

from prunebench.pruning import PRUNING_METHODS


def config_errors(cfg: dict, config: dict) -> list[str]:
    return channel_study_errors("ddnp", cfg)


def channel_study_errors(study: str, cfg: dict) -> list[str]:
    """Every variant prunes channels (its sparsity is the fraction of FLOPs removed, its network is slimmed); a
    structured-search variant needs the `search` settings; `search_ablations` name structured-search variants."""
    variants = cfg["prune"]["variants"]
    errors = [
        f"config key studies.{study}.prune.variants.{name}.method: {variant['method']!r} does not prune channels "
        f"(channel methods: {[m for m in PRUNING_METHODS.names() if PRUNING_METHODS[m].structure == 'channel']})"
        for name, variant in variants.items()
        if PRUNING_METHODS[variant["method"]].structure != "channel"
    ]
    searched = [
        name for name, variant in variants.items() if PRUNING_METHODS[variant["method"]].family == "structured_search"
    ]
    if searched and "search" not in cfg:
        errors.append(
            f"config key studies.{study}.search: missing, and the variants {searched} are structured searches"
        )
    errors += [
        f"config key studies.{study}.search_ablations: {name!r} is not a structured-search variant of"
        f" studies.{study}.prune.variants"
        for name in cfg.get("search_ablations", [])
        if name not in searched
    ]
    return errors
