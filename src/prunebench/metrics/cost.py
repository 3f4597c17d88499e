"""The cost record of a (pruned) network: what it stores and computes as executed (nonzero and total parameters,
FLOPs, size on disk) and as its slimmed network (prunebench.pruning.slim: every channel its masks remove entirely
taken out; the same network where nothing is). Every number is deterministic; measured latency is a timing
(`prunebench.metrics.latency.slimmed_latency`), kept out of the record."""

from __future__ import annotations

import gzip
import io

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from prunebench.pruning import slim


def nonzero_parameters(model: nn.Module) -> tuple[int, int]:
    """(nonzero, total) parameter counts."""
    params = list(model.parameters())
    return sum(int(p.count_nonzero()) for p in params), sum(p.numel() for p in params)


def serialized_sizes(model: nn.Module) -> tuple[int, int]:
    """(raw, gzip) bytes of the saved state dict; gzip with a fixed mtime so the size is reproducible, at zlib's default
    level 6 (what the TF-MOT tutorials' `zipfile.ZIP_DEFLATED` uses; level 9 took 10x longer for 1% smaller files)."""
    buffer = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, buffer)
    raw = buffer.getvalue()
    return len(raw), len(gzip.compress(raw, compresslevel=6, mtime=0))


@torch.no_grad()
def _count_forward(model: nn.Module, input_shape: tuple[int, ...]) -> FlopCounterMode:
    """The FLOP counter after one example's forward pass in eval mode."""
    device = next(model.parameters()).device
    with FlopCounterMode(display=False) as counter:
        model.eval()(torch.zeros((1, *input_shape), device=device))
    return counter


def forward_flops(model: nn.Module, input_shape: tuple[int, ...]) -> int:
    """FLOPs of one example's forward pass as executed (dense kernels count masked weights too)."""
    return _count_forward(model, input_shape).get_total_flops()


def remaining_weight_flops(model: nn.Module, masks: dict[str, torch.Tensor], input_shape: tuple[int, ...]) -> float:
    """FLOPs of one example's forward pass counting only the weights `masks` keep: each masked layer's FLOPs scaled
    by the fraction of its weights kept (Liu et al.'s count for unstructured pruning), the rest as executed."""
    counter = _count_forward(model, input_shape)
    counts = counter.get_flop_counts()
    root = type(model).__name__
    total = float(counter.get_total_flops())
    for name, mask in masks.items():
        layer = sum(counts.get(f"{root}.{name.removesuffix('.weight')}", {}).values())
        total -= layer * (1.0 - float(mask.float().mean()))
    return total


def cost_record(model: nn.Module, input_shape: tuple[int, ...], masks: dict[str, torch.Tensor] | None = None) -> dict:
    """`model` with `masks` applied; the slimmed network's parameters, FLOPs and widths besides the executed ones."""
    nonzero, total = nonzero_parameters(model)
    raw, compressed = serialized_sizes(model)
    slimmed, widths, _ = slim(model, masks or {}, input_shape)
    return {
        "nonzero_parameters": nonzero,
        "total_parameters": total,
        "forward_flops": forward_flops(model, input_shape),
        "size_bytes": raw,
        "size_gzip_bytes": compressed,
        "slimmed_parameters": sum(p.numel() for p in slimmed.parameters()),
        "slimmed_flops": forward_flops(slimmed, input_shape),
        "slimmed_widths": widths,
    }
