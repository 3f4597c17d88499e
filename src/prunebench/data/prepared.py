"""The train/val/test tensors an experiment runs on, their checksum, and their storage."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, fields

import torch

from prunebench.atomic import load_torch, save_torch

TENSOR_FIELDS = ("train_x", "train_y", "val_x", "val_y", "test_x", "test_y")


@dataclass
class PreparedData:
    train_x: torch.Tensor  # uint8 [N, C, H, W]
    train_y: torch.Tensor  # int64 [N]
    val_x: torch.Tensor
    val_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor
    classes: list[str]
    source: str

    def checksum(self) -> str:
        digest = hashlib.sha256()
        for name in TENSOR_FIELDS:
            digest.update(getattr(self, name).contiguous().numpy().tobytes())
        return digest.hexdigest()

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.train_x.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def save_prepared(path: str | os.PathLike, data: PreparedData) -> None:
    save_torch(path, {f.name: getattr(data, f.name) for f in fields(data)})


def load_prepared(path: str | os.PathLike) -> PreparedData:
    return PreparedData(**load_torch(path))


def to_float(x: torch.Tensor) -> torch.Tensor:
    """uint8 images -> float32 in [0, 1]."""
    if x.dtype != torch.uint8:
        raise TypeError(f"to_float expects uint8 images, got {x.dtype}")
    return x.float() / 255
