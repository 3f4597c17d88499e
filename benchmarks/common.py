"""What every benchmark shares: one result row format (and a measure's spread over rounds) and the 004 MLP."""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass

import torch

from prunebench.models import build_model


@dataclass
class Result:
    benchmark: str
    measure: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None


def spread(values: list[float], unit: str) -> tuple[float, str]:
    """A measure repeated in rounds: the median, and the unit with the range over rounds."""
    return statistics.median(values), f"{unit} ({len(values)} rounds: {min(values):.3g}-{max(values):.3g})".lstrip()


def mlp_004() -> torch.nn.Module:
    torch.manual_seed(0)
    return build_model("mlp", (1, 28, 28), 10, hidden=[1000, 1000, 500, 200], bias=False)


def paper_dry_run_command(out, *config: str) -> list[str]:
    """Snakemake's dry run of configs/paper.yaml (run from the repository root), results and logs under `out`, with
    more `--config` items."""
    return [
        sys.executable,
        "-m",
        "snakemake",
        "-n",
        "--configfile",
        "configs/paper.yaml",
        "--config",
        f"results={out}/results",
        f"logs={out}/logs",
        *config,
    ]


@torch.no_grad()
def alternating_medians(dense, slimmed, x, repeats: int, warmup: int = 3) -> tuple[float, float]:
    """Median seconds of `dense(x)` and `slimmed(x)`, called in turn, so load on the machine slows both alike."""
    for _ in range(warmup):
        dense(x), slimmed(x)
    times = {"dense": [], "slimmed": []}
    for _ in range(repeats):
        for name, model in (("dense", dense), ("slimmed", slimmed)):
            start = time.perf_counter()
            model(x)
            times[name].append(time.perf_counter() - start)
    return statistics.median(times["dense"]), statistics.median(times["slimmed"])
