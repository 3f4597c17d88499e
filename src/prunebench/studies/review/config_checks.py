"""Cross-key checks of study 003's config (found by prunebench.config, beside the study's schema)."""
from __future__ import annotations


def config_errors(cfg: dict, config: dict) -> list[str]:
    """Each figure is drawn for one of the study's models."""
    missing = sorted({m for m in cfg["figures"].values() if cfg["models"].get(m) is None})
    return [f"config key studies.review.figures: {missing} not among studies.review.models"] if missing else []
