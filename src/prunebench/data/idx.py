"""Reader for the IDX format of (Fashion-)MNIST, plain or gzip-compressed."""

from __future__ import annotations

import gzip
import struct
import zlib
from math import prod
from pathlib import Path

import numpy as np
import torch

UBYTE_MAGIC = b"\x00\x00\x08"


def read_idx(path: str | Path) -> torch.Tensor:
    """Return the uint8 array stored in an IDX file; a corrupt file raises ValueError naming it."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            content = f.read()
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise ValueError(f"corrupt gzip stream in IDX file {path}: {e}") from e

    if len(content) < 4 or content[:3] != UBYTE_MAGIC:
        raise ValueError(f"{path} is not an unsigned-byte IDX file (bad magic {content[:4].hex()!r})")
    ndim = content[3]
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise ValueError(f"IDX file {path} is truncated: its header is incomplete")
    dims = struct.unpack(f">{ndim}I", content[4:header_size])
    if len(content) != header_size + prod(dims):
        raise ValueError(
            f"IDX file {path} is truncated or corrupt: its size does not match the dims {dims} in its header"
        )
    data = np.frombuffer(content, dtype=np.uint8, offset=header_size).reshape(dims)
    return torch.from_numpy(data.copy())
