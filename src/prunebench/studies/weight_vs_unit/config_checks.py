"""Cross-key checks of study 004's config (found by prunebench.config, beside the study's schema)."""

from __future__ import annotations


def config_errors(cfg: dict, config: dict) -> list[str]:
    """The magnitude histograms (004-F4) are drawn at one of the swept sparsities."""
    if cfg["histogram_sparsity"] not in cfg["prune"]["sparsities"]:
        return [
            f"config key studies.weight_vs_unit.histogram_sparsity: {cfg['histogram_sparsity']} is not one of "
            f"prune.sparsities {cfg['prune']['sparsities']}"
        ]
    return []
