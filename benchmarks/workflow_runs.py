"""Whole-workflow timings of the default config: a no-op rerun and (optionally) a full run on 2 cores."""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parents[1]


def _snakemake(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def noop_rerun() -> list[Result]:
    """Brings results/ up to date first (a no-op if `make run` was done), then times a rerun with nothing to do."""
    _snakemake()
    seconds = min(_snakemake() for _ in range(3))
    return [Result("workflow", "no-op rerun of the default config", seconds, "s", "< 5 s", seconds < 5)]


def full_run() -> list[Result]:
    """The default config from scratch into a temporary results folder."""
    with tempfile.TemporaryDirectory() as tmp:
        seconds = _snakemake("--config", f"results={tmp}/results", f"logs={tmp}/logs")
    return [Result("workflow", "default config from scratch, 2 cores (all studies)", seconds / 60, "min", "004: < 10 min", seconds < 600)]
