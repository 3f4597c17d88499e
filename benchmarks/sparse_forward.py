"""Sparse forward speedup over dense for the 004 MLP, batch 100, CPU: COO (the document's way) and CSR."""

from __future__ import annotations

import copy
import statistics

import torch

from benchmarks.common import Result, mlp_004
from prunebench.metrics import time_forward
from prunebench.pruning import apply_masks, compute_masks
from prunebench.sparse import SparseMLP

THREADS = 2
TARGET_CSR = {0.9: 2.0, 0.99: 8.0}


def run(repeats: int = 200) -> list[Result]:
    torch.set_num_threads(THREADS)
    dense = mlp_004().eval()
    x = torch.rand(100, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    results = []
    for sparsity in (0.9, 0.95, 0.99):
        masks = compute_masks(dense, "lowest", sparsity, layers="all_but_last")
        pruned = apply_masks(copy.deepcopy(dense), masks)
        median = {
            name: statistics.median(time_forward(forward, x, repeats, warmup=20))
            for name, forward in (
                ("dense", pruned),
                ("coo", SparseMLP(pruned, "coo", masks)),
                ("csr", SparseMLP(pruned, "csr", masks)),
            )
        }
        k = f"k = {100 * sparsity:g}%"
        results.append(Result("sparse_forward", f"dense forward, {k}", 1e3 * median["dense"], "ms"))
        for layout in ("coo", "csr"):
            speedup = median["dense"] / median[layout]
            target = TARGET_CSR.get(sparsity) if layout == "csr" else None
            results.append(
                Result(
                    "sparse_forward",
                    f"{layout.upper()} speedup over dense, {k}",
                    speedup,
                    "x",
                    f">= {target:g}x" if target else "",
                    speedup >= target if target else None,
                )
            )
        faster = median["csr"] < median["coo"]
        results.append(
            Result("sparse_forward", f"CSR / COO time, {k}", median["csr"] / median["coo"], "", "< 1", faster)
        )
    return results
