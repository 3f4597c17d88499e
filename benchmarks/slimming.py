"""Physical slimming pays: CPU latency speedup of a slimmed network over its dense network, divided by its FLOPs
reduction (dense FLOPs / slimmed FLOPs), at batch 1 and 64; target >= 0.7.

Networks: 002's paper models on CIFAR-sized inputs (ResNet-56, MobileNetV2) and the default config's ResNet-20 (width
x 0.5, 28x28 greyscale), each L1-filter pruned to half the FLOPs of the whole network (p = 0.5, budget_scope total) and
slimmed. Dense and slimmed forwards are
timed alternately, so a busy machine slows both alike; medians of the repeats."""

from __future__ import annotations

import copy

import torch

from benchmarks.common import Result, alternating_medians
from prunebench.metrics import forward_flops
from prunebench.models import build_model
from prunebench.pruning import apply_masks, compute_masks, slim

THREADS = 2
TARGET = 0.7
FLOPS_REDUCTION = 0.5
CASES = {  # name: (model spec, input shape)
    "ResNet-56 (CIFAR)": ({"arch": "cifar_resnet", "depth": 56}, (3, 32, 32)),
    "MobileNetV2 (CIFAR)": ({"arch": "cifar_mobilenetv2"}, (3, 32, 32)),
    "ResNet-20 x0.5 (default config)": ({"arch": "cifar_resnet", "depth": 20, "width_multiplier": 0.5}, (1, 28, 28)),
}
REPEATS = {1: 60, 64: 12}


def networks(spec: dict, shape: tuple[int, ...]) -> tuple[torch.nn.Module, torch.nn.Module, float]:
    """One case's dense network, its slimmed network (eval mode) and the FLOPs reduction (dense / slimmed)."""
    torch.manual_seed(0)
    dense = build_model(input_shape=shape, num_classes=10, **spec).eval()
    masks = compute_masks(dense, "l1_filter", FLOPS_REDUCTION, input_shape=shape, params={"budget_scope": "total"})
    slimmed, _, _ = slim(apply_masks(copy.deepcopy(dense), masks), masks, shape)
    return dense, slimmed.eval(), forward_flops(dense, shape) / forward_flops(slimmed, shape)


def run() -> list[Result]:
    torch.set_num_threads(THREADS)
    results = []
    for name, (spec, shape) in CASES.items():
        dense, slimmed, reduction = networks(spec, shape)
        results.append(Result("slimming", f"{name}: FLOPs reduction (dense / slimmed)", reduction, "x"))
        for batch, repeats in REPEATS.items():
            x = torch.rand((batch, *shape), generator=torch.Generator().manual_seed(0))
            dense_s, slimmed_s = alternating_medians(dense, slimmed, x, repeats)
            speedup = dense_s / slimmed_s
            results.append(Result("slimming", f"{name}: dense forward, batch {batch}", 1e3 * dense_s, "ms"))
            results.append(Result("slimming", f"{name}: latency speedup, batch {batch}", speedup, "x"))
            ratio = speedup / reduction
            results.append(
                Result(
                    "slimming",
                    f"{name}: speedup / FLOPs reduction, batch {batch}",
                    ratio,
                    "",
                    f">= {TARGET:g}",
                    ratio >= TARGET,
                )
            )
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
