"""The train/val/test images an experiment runs on, their checksum, and their storage. Images are a uint8 tensor
[N, C, H, W] in memory, or a lazy `FolderImages` view for a dataset kept as files (ImageNet): both index alike, and
`to_float` turns either into a float batch."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, fields

import torch

from prunebench.atomic import load_torch, save_torch
from prunebench.data.folder import FolderImages

TENSOR_FIELDS = ("train_x", "train_y", "val_x", "val_y", "test_x", "test_y")
IMAGE_FIELDS = ("train_x", "val_x", "test_x")
FOLDER_KEY = "folder_images"  # a saved FolderImages view: its state under this key
Images = torch.Tensor | FolderImages


@dataclass
class PreparedData:
    train_x: Images  # uint8 [N, C, H, W]
    train_y: torch.Tensor  # int64 [N]
    val_x: Images
    val_y: torch.Tensor
    test_x: Images
    test_y: torch.Tensor
    classes: list[str]
    source: str

    def checksum(self) -> str:
        digest = hashlib.sha256()
        for name in TENSOR_FIELDS:
            values = getattr(self, name)
            if isinstance(values, FolderImages):
                values.update_digest(digest)
            else:
                digest.update(values.contiguous().numpy().tobytes())
        return digest.hexdigest()

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.train_x.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.classes)


def save_prepared(path: str | os.PathLike, data: PreparedData) -> None:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for name in IMAGE_FIELDS:
        if isinstance(values[name], FolderImages):
            values[name] = {FOLDER_KEY: values[name].to_state()}
    save_torch(path, values)


def load_prepared(path: str | os.PathLike) -> PreparedData:
    values = load_torch(path)
    for name in IMAGE_FIELDS:
        if isinstance(values[name], dict):
            values[name] = FolderImages.from_state(values[name][FOLDER_KEY])
    return PreparedData(**values)


def to_float(x: Images) -> torch.Tensor:
    """uint8 images (a tensor, or a FolderImages view: decoded here) -> float32 in [0, 1]."""
    if isinstance(x, FolderImages):
        x = x.read()
    if x.dtype != torch.uint8:
        raise TypeError(f"to_float expects uint8 images, got {x.dtype}")
    return x.float() / 255
