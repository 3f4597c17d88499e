"""Cross-key checks of study ddnp_imagenet's config: those of study ddnp."""

from __future__ import annotations

from prunebench.studies.ddnp.config_checks import channel_study_errors


def config_errors(cfg: dict, config: dict) -> list[str]:
    return channel_study_errors("ddnp_imagenet", cfg)
