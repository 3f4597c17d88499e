"""Latency a deployment would see: the slimmed networks of benchmarks/slimming.py in eager PyTorch and compiled by
torch.compile, at batch 1 and 64, on the CPU; the slimmed network's speedup over its dense network in the same runtime,
divided by its FLOPs reduction, target >= 0.7 at batch 1 compiled.

Compiled: the inductor backend, mode "default", static shapes, with `freezing` on (weights inlined as constants and
constant-folded, convolution weights prepacked: torch/_inductor/config.py), compiled and warmed before any timing, its
outputs checked against eager's. One thread: on a machine whose cores are shared with other work, a two-thread forward
waits at every operator for a thread the scheduler has taken away. Each round alternates dense and slimmed forwards
(`common.alternating_medians`); the value is the median over rounds, their range in the unit column."""

from __future__ import annotations

import torch
from torch._inductor import config as inductor_config
from torch.profiler import ProfilerActivity, profile

from benchmarks.common import Result, alternating_medians, spread
from benchmarks.slimming import CASES, networks

THREADS = 1
TARGET = 0.7
ROUNDS = 5
REPEATS = {1: 100, 64: 6}


@torch.no_grad()
def compiled(model: torch.nn.Module, x: torch.Tensor) -> torch.nn.Module:
    """`model` compiled for CPU inference at the shape of `x` (compiled here, by one call); raises if its outputs
    differ from eager's by more than float32 reassociation (freezing folds batch norm into the convolutions)."""
    with inductor_config.patch(freezing=True):
        fast = torch.compile(model, backend="inductor", mode="default", dynamic=False)
        out = fast(x)
    expected = model(x)
    torch.testing.assert_close(out, expected, rtol=1e-3, atol=1e-4 * float(expected.abs().max()))
    return fast


@torch.no_grad()
def convolution_seconds(forward, x: torch.Tensor, calls: int = 20) -> tuple[float, float]:
    """Seconds per call of `forward(x)` in convolution kernels (torch.profiler's self CPU time of every operator whose
    name has "conv"), and of all operators."""
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(calls):
            forward(x)
    events = prof.key_averages()
    convolutions = sum(e.self_cpu_time_total for e in events if "conv" in e.key)
    return 1e-6 * convolutions / calls, 1e-6 * sum(e.self_cpu_time_total for e in events) / calls


def run() -> list[Result]:
    torch.set_num_threads(THREADS)
    results = []
    for name, (spec, shape) in CASES.items():
        torch._dynamo.reset()  # a fresh compile cache per case: each network and shape is one more cache entry
        dense, slimmed, reduction = networks(spec, shape)
        for batch, repeats in REPEATS.items():
            x = torch.rand((batch, *shape), generator=torch.Generator().manual_seed(0))
            runtimes = {"eager": (dense, slimmed), "compiled": (compiled(dense, x), compiled(slimmed, x))}
            for runtime, (dense_forward, slimmed_forward) in runtimes.items():
                rounds = [alternating_medians(dense_forward, slimmed_forward, x, repeats) for _ in range(ROUNDS)]
                what = f"{name}, {runtime}, batch {batch}"
                dense_ms = spread([1e3 * d for d, _ in rounds], "ms")
                speedup = spread([d / s for d, s in rounds], "x")
                ratio = spread([d / s / reduction for d, s in rounds], "")
                target = batch == 1 and runtime == "compiled"
                results += [
                    Result("deploy_latency", f"{what}: dense forward", *dense_ms),
                    Result("deploy_latency", f"{what}: latency speedup", *speedup),
                    Result(
                        "deploy_latency",
                        f"{what}: speedup / FLOPs reduction ({reduction:.2f}x)",
                        *ratio,
                        f">= {TARGET:g}" if target else "",
                        ratio[0] >= TARGET if target else None,
                    ),
                ]
                if target:
                    results += _what_dominates(what, dense_forward, slimmed_forward, x, reduction)
    return results


def _what_dominates(what: str, dense_forward, slimmed_forward, x: torch.Tensor, reduction: float) -> list[Result]:
    shares, conv_ratios = [], []
    for _ in range(ROUNDS):  # alternated, as the timing
        (dense_conv, _), (slimmed_conv, slimmed_all) = (
            convolution_seconds(f, x) for f in (dense_forward, slimmed_forward)
        )
        shares.append(slimmed_conv / slimmed_all)
        conv_ratios.append(dense_conv / slimmed_conv / reduction)
    return [
        Result("deploy_latency", f"{what}: slimmed forward's share in convolution kernels", *spread(shares, "")),
        Result("deploy_latency", f"{what}: convolution kernels' speedup / FLOPs reduction", *spread(conv_ratios, "")),
    ]


if __name__ == "__main__":
    for result in run():
        print(result)
