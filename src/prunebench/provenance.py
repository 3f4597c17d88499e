"""Provenance written next to every metric: what produced it."""

from __future__ import annotations

import functools
import platform
import subprocess
from pathlib import Path

import torch


@functools.cache
def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def provenance(config: dict, seed: int | None = None, data_checksum: str | None = None) -> dict:
    return {
        "config": config,
        "seed": seed,
        "data_checksum": data_checksum,
        "git_commit": git_commit(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
    }
