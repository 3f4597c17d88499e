from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import torch
from torch import nn

from prunebench.pruning import apply_masks, slim
from prunebench.sparse import SparseMLP, shrink_units


@torch.no_grad()
def time_forward(
    forward: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, repeats: int, warmup: int = 5
) -> list[float]:
    """Wall-clock seconds of `forward(x)` for each of `repeats` calls, after `warmup` untimed calls."""
    for _ in range(warmup):
        forward(x)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        forward(x)
        times.append(time.perf_counter() - start)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    q25, median, q75 = np.percentile(times, [25, 50, 75])
    return {
        "median_ms": 1e3 * median,
        "q25_ms": 1e3 * q25,
        "q75_ms": 1e3 * q75,
        "min_ms": 1e3 * min(times),
        "repeats": len(times),
    }


@dataclass(frozen=True)
class LatencySettings:
    """How the evaluation stage times a pruned network's forward pass on CPU (batch 1: one request; 64: throughput)."""

    batch_sizes: tuple[int, ...] = (1, 64)
    repeats: int = 10
    warmup: int = 2


@torch.no_grad()
def slimmed_latency(
    model: nn.Module,
    input_shape: tuple[int, ...],
    masks: dict[str, torch.Tensor] | None = None,
    settings: LatencySettings = LatencySettings(),
) -> dict:
    """CPU forward time of the slimmed network of `model` with `masks` applied, per batch size, at the current thread
    count. A timing: it varies between runs and machines, so it stays out of the bitwise-reproducible metrics."""
    slimmed, _, _ = slim(model, masks or {}, input_shape)
    slimmed = copy.deepcopy(slimmed).cpu().eval()
    generator = torch.Generator().manual_seed(0)
    record = {"threads": torch.get_num_threads()}
    for batch in settings.batch_sizes:
        x = torch.rand((batch, *input_shape), generator=generator)
        record[f"batch{batch}"] = _summary(time_forward(slimmed, x, settings.repeats, settings.warmup))
    return record


@torch.no_grad()
def forward_latency_table(
    model: nn.Module,
    input_shape: tuple[int, ...],
    pruned: list[tuple[str, float, dict[str, torch.Tensor]]],
    batch_size: int,
    repeats: int,
    warmup: int,
    threads: int,
) -> pd.DataFrame:
    """CPU forward time of one minibatch for each pruned variant and sparsity, executed four ways:
    dense (masked weights, dense kernels), sparse COO, sparse CSR, and shrunk (all-zero units removed).
    Every execution is checked to compute the same outputs before it is timed."""
    torch.set_num_threads(threads)
    model = model.cpu().eval()
    x = torch.rand((batch_size, *input_shape), generator=torch.Generator().manual_seed(0))
    rows = []
    for variant, sparsity, masks in pruned:
        masked = apply_masks(copy.deepcopy(model), masks)
        expected = masked(x)
        executions = {
            "dense": masked,
            "coo": SparseMLP(masked, "coo", masks),
            "csr": SparseMLP(masked, "csr", masks),
            "shrunk": shrink_units(masked),
        }
        for execution, forward in executions.items():
            if not torch.allclose(forward(x), expected, rtol=1e-4, atol=1e-4):
                raise RuntimeError(f"{execution} execution of {variant} at sparsity {sparsity} changes the outputs")
            times = time_forward(forward, x, repeats, warmup)
            rows.append({"variant": variant, "sparsity": sparsity, "execution": execution, **_summary(times)})
    return pd.DataFrame(rows)
