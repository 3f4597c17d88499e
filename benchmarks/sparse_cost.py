"""Where 004-F5's CSR forward stops short of its arithmetic: benchmarks/sparse_forward.py's network and pruning at
k = 99%, one thread, batch 100 (the target's, >= 8x over dense) and 1. The sparse layers are run six ways: the
library's CSR product W @ h (`prunebench.sparse.SparseMLP`), the same compiled by torch.compile (inductor, compiled
before timing), the same into preallocated outputs (torch.addmm with out=), CSC, the transposed product h @ W^T with
W^T in CSR, and the library's CSR with no nonzeros (every pruned weight zeroed: what a call costs whatever it
computes). Each is checked against the dense forward, then timed alternately with
it (`common.alternating_medians`); the value is the median over rounds, their range in the unit column."""

from __future__ import annotations

import copy
import warnings
from functools import partial
from typing import Callable

import torch

from benchmarks.common import Result, alternating_medians, mlp_004, spread
from prunebench.metrics.cost import forward_flops, remaining_weight_flops
from prunebench.pruning import apply_masks, compute_masks
from prunebench.sparse import SparseMLP

THREADS = 1
SPARSITY = 0.99
TARGET = {100: 8.0}
ROUNDS = 5
REPEATS = 200
LIBRARY = "CSR, W @ h (the library's)"


def _chain(weights: list[torch.Tensor], product: Callable, transposed: bool = False) -> Callable:
    """The MLP's forward with each layer's product(weight, h); h is features x batch, or batch x features when
    `transposed` (the weights are then W^T)."""

    @torch.no_grad()
    def forward(x: torch.Tensor) -> torch.Tensor:
        h = x.flatten(1) if transposed else x.flatten(1).t().contiguous()
        for i, weight in enumerate(weights):
            h = product(i, weight, h)
            if i < len(weights) - 1:
                h = torch.relu(h)
        return h if transposed else h.t()

    return forward


def executions_of(pruned: torch.nn.Module, masks: dict, batch: int) -> dict[str, Callable]:
    csr = SparseMLP(pruned, "csr", masks).weights
    with warnings.catch_warnings():  # "sparse CSR support is in beta"
        warnings.simplefilter("ignore", UserWarning)
        csc = [w.to_dense().to_sparse_csc() if w.is_sparse_csr else w for w in csr]
        transposed = [w.to_dense().t().to_sparse_csr() if w.is_sparse_csr else w.t().contiguous() for w in csr]
    outputs = [torch.empty(w.shape[0], batch) for w in csr]
    empty = copy.deepcopy(pruned)
    for name, parameter in empty.named_parameters():
        if name in masks:
            parameter.data.zero_()
    return {
        LIBRARY: SparseMLP(pruned, "csr", masks),
        "CSR, W @ h, torch.compile": torch.compile(SparseMLP(pruned, "csr", masks), dynamic=False),
        "CSR into preallocated outputs": _chain(
            csr, lambda i, w, h: torch.addmm(outputs[i], w, h, beta=0, out=outputs[i])
        ),
        "CSC, W @ h": _chain(csc, lambda i, w, h: w @ h),
        "transposed, h @ W^T in CSR": _chain(transposed, lambda i, w, h: h @ w, transposed=True),
        "CSR with no nonzeros (the fixed cost)": SparseMLP(empty, "csr", masks),
    }


def layer_rows(pruned: torch.nn.Module, masks: dict, batch: int, k: str) -> list[Result]:
    """Each sparse layer's CSR product alone, timed alternately with the same product by an all-zero CSR matrix of its
    shape (the call's fixed cost)."""
    results = []
    for i, weight in enumerate(SparseMLP(pruned, "csr", masks).weights[:-1]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            empty = torch.zeros(weight.shape).to_sparse_csr()
        h = torch.rand(weight.shape[1], batch, generator=torch.Generator().manual_seed(0))
        products = (partial(torch.mm, weight), partial(torch.mm, empty))
        rounds = [alternating_medians(*products, h, REPEATS) for _ in range(ROUNDS)]
        what = f"{k}, batch {batch}: layer {i} ({weight.shape[0]} x {weight.shape[1]}, {weight._nnz()} nonzeros)"
        results += [
            Result("sparse_cost", f"{what}, CSR product", *spread([1e6 * s for s, _ in rounds], "us")),
            Result("sparse_cost", f"{what}, with no nonzeros", *spread([1e6 * e for _, e in rounds], "us")),
        ]
    return results


def run() -> list[Result]:
    torch.set_num_threads(THREADS)
    dense = mlp_004().eval()
    masks = compute_masks(dense, "lowest", SPARSITY, layers="all_but_last")
    pruned = apply_masks(copy.deepcopy(dense), masks)
    arithmetic = forward_flops(pruned, (1, 28, 28)) / remaining_weight_flops(pruned, masks, (1, 28, 28))
    k = f"k = {100 * SPARSITY:g}%"
    results = [Result("sparse_cost", f"FLOPs reduction (dense / the kept weights' FLOPs), {k}", arithmetic, "x")]
    for batch in (100, 1):
        x = torch.rand(batch, 1, 28, 28, generator=torch.Generator().manual_seed(0))
        expected = pruned(x)
        for execution, forward in executions_of(pruned, masks, batch).items():
            if "no nonzeros" not in execution:
                torch.testing.assert_close(forward(x), expected, rtol=1e-4, atol=1e-4)
            rounds = [alternating_medians(pruned, forward, x, REPEATS) for _ in range(ROUNDS)]
            what = f"{k}, batch {batch}: {execution}"
            target = TARGET.get(batch) if execution == LIBRARY else None
            speedup = spread([d / s for d, s in rounds], "x")
            results += [
                Result("sparse_cost", f"{what}, forward", *spread([1e3 * s for _, s in rounds], "ms")),
                Result(
                    "sparse_cost",
                    f"{what}, speedup over dense",
                    *speedup,
                    f">= {target:g}x" if target else "",
                    speedup[0] >= target if target else None,
                ),
            ]
        results.append(
            Result("sparse_cost", f"{k}, batch {batch}: dense forward", *spread([1e3 * d for d, _ in rounds], "ms"))
        )
        results += layer_rows(pruned, masks, batch, k)
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
