"""Cross-key checks of study 003's config (found by prunebench.config, beside the study's schema)."""

from __future__ import annotations

from prunebench.models.registry import argument_error
from prunebench.studies.review.tickets import ticket_model


def config_errors(cfg: dict, config: dict) -> list[str]:
    """Each figure is drawn for one of the study's models; part 2's scratch and PIE sections name a model and a
    variant of part 1, PIE's one that trains to any target sparsity; the tickets' model takes its arguments."""
    errors = []
    missing = sorted({m for m in cfg["figures"].values() if cfg["models"].get(m) is None})
    if missing:
        errors.append(f"config key studies.review.figures: {missing} not among studies.review.models")
    for section in ("scratch", "pie"):
        if cfg[section]["model"] not in cfg["models"] or cfg["models"][cfg[section]["model"]] is None:
            errors.append(
                f"config key studies.review.{section}.model: {cfg[section]['model']!r} not among studies.review.models"
            )
        if cfg[section]["variant"] not in cfg["prune"]["variants"]:
            errors.append(
                f"config key studies.review.{section}.variant: {cfg[section]['variant']!r} not among"
                " studies.review.prune.variants"
            )
    if error := argument_error(ticket_model(cfg["tickets"])):
        errors.append(f"config key studies.review.tickets.model: {error}")
    if cfg.get("sweep", {}).get(cfg["pie"]["variant"]):
        errors.append(
            f"config key studies.review.pie.variant: {cfg['pie']['variant']!r} reaches its sparsity as an outcome of a"
            " sweep; PIE needs a variant that trains to a target"
        )
    return errors
