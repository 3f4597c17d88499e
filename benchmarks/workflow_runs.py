"""Whole-workflow timings of the default config on 2 cores: each study from scratch, and a no-op rerun."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parents[1]
# Each study's share of the default config on 2 cores, in minutes; their sum < 60 (docs/architecture.md, "Scales").
STUDY_BUDGET_MIN = {"disentangle": 10, "latent_kl": 15, "ddnp": 15, "review": 22, "weight_vs_unit": 12}
NOOP_TARGET_S = 5


def _snakemake(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "snakemake", "--cores", "2", *args], cwd=ROOT, check=True, capture_output=True
    )
    return time.perf_counter() - start


def _noop(*args: str) -> Result:
    seconds = min(_snakemake(*args) for _ in range(3))
    return Result(
        "workflow", "no-op rerun of the default config", seconds, "s", f"< {NOOP_TARGET_S} s", seconds < NOOP_TARGET_S
    )


def noop_rerun() -> list[Result]:
    """Brings results/ up to date first (a no-op if `make run` was done), then times a rerun with nothing to do."""
    _snakemake()
    return [_noop()]


def full_run(keep: str | None = None) -> list[Result]:
    """Each study of config.yaml from scratch, one after the other, into a temporary results folder (or `keep`, which
    must not exist yet: its results are then kept; the first study also prepares the shared data), then the whole
    default workflow, then a no-op rerun of it."""
    studies = list(yaml.safe_load((ROOT / "config.yaml").read_text())["studies"])
    rows = []
    if keep is not None:
        Path(keep).mkdir(parents=True)
    with tempfile.TemporaryDirectory() if keep is None else contextlib.nullcontext(keep) as tmp:
        where = ("--config", f"results={tmp}/results", f"logs={tmp}/logs")
        total = 0.0
        for study in studies:
            seconds = _snakemake(study, *where)
            total += seconds
            budget = STUDY_BUDGET_MIN.get(study)
            target = f"< {budget} min" if budget else ""
            met = seconds < 60 * budget if budget else None
            rows.append(
                Result(
                    "workflow", f"default config, study {study} from scratch, 2 cores", seconds / 60, "min", target, met
                )
            )
        total += _snakemake(*where)
        rows.append(
            Result(
                "workflow",
                "default config, every study from scratch, 2 cores",
                total / 60,
                "min",
                "< 60 min",
                total < 3600,
            )
        )
        rows.append(_noop(*where))
    return rows
