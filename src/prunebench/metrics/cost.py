from __future__ import annotations

import gzip
import io

import torch
from torch import nn


def nonzero_parameters(model: nn.Module) -> tuple[int, int]:
    """(nonzero, total) parameter counts."""
    params = list(model.parameters())
    return sum(int(p.count_nonzero()) for p in params), sum(p.numel() for p in params)


def serialized_sizes(model: nn.Module) -> tuple[int, int]:
    """(raw, gzip) bytes of the saved state dict; gzip with a fixed mtime so the size is reproducible."""
    buffer = io.BytesIO()
    torch.save({k: v.detach().cpu() for k, v in model.state_dict().items()}, buffer)
    raw = buffer.getvalue()
    return len(raw), len(gzip.compress(raw, compresslevel=9, mtime=0))


def cost_record(model: nn.Module) -> dict[str, int]:
    nonzero, total = nonzero_parameters(model)
    raw, compressed = serialized_sizes(model)
    return {"nonzero_parameters": nonzero, "total_parameters": total, "size_bytes": raw, "size_gzip_bytes": compressed}
