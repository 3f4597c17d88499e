"""A run that diverges is a result, not a crash: it is recorded as failed, with its reason, and every stage after it
carries the reason on (the checkpoint holds it), so tables and claims report it. `strict: true` in the config makes
divergence stop the workflow instead."""

from __future__ import annotations

import math


class TrainingDiverged(FloatingPointError):
    """The training objective became NaN or infinite."""


def record_failures(config: dict) -> bool:
    """Whether a diverging run is recorded as failed (the default) rather than raised (`strict: true`)."""
    return not config.get("strict", False)


def unmeasured(split_metrics: dict[str, float]) -> dict[str, float]:
    """A failed run's loss and accuracy on a split: none (NaN), whatever its remaining weights would score."""
    return {name: math.nan for name in split_metrics}
