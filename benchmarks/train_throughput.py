"""Training throughput of the 004 MLP as a fraction of this machine's dense matmul rate, both measured here."""
from __future__ import annotations

import time

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from benchmarks.common import Result, mlp_004

THREADS = 2


def matmul_gflops(n: int = 2048, repeats: int = 10) -> float:
    a, b = torch.rand(n, n), torch.rand(n, n)
    a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n**3 * repeats / (time.perf_counter() - start) / 1e9


def train_step_gflops(batch_size: int, steps: int = 60) -> float:
    model = mlp_004()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.rand(batch_size, 1, 28, 28), torch.randint(0, 10, (batch_size,))

    def step():
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    with FlopCounterMode(display=False) as counter:
        step()
    flops = counter.get_total_flops()
    for _ in range(5):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return flops * steps / (time.perf_counter() - start) / 1e9


def run() -> list[Result]:
    torch.set_num_threads(THREADS)
    peak = matmul_gflops()
    results = [Result("train_throughput", "dense matmul rate (2048^3, fp32)", peak, "GFLOP/s")]
    for batch_size in (100, 1000):
        rate = train_step_gflops(batch_size)
        results.append(Result("train_throughput", f"004 MLP training, batch {batch_size}", rate, "GFLOP/s"))
        results.append(
            Result("train_throughput", f"fraction of matmul rate, batch {batch_size}", rate / peak, "", ">= 0.7", rate / peak >= 0.7)
        )
    return results
