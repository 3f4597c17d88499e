"""The raw train/test tensors of a dataset, and the registry of loaders that produce them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch

from prunebench.registry import Registry


@dataclass
class RawDataset:
    train_x: torch.Tensor  # uint8 [N, C, H, W]
    train_y: torch.Tensor  # int64 [N]
    test_x: torch.Tensor
    test_y: torch.Tensor
    classes: list[str]
    source: str  # the file or folder the data was read from


Loader = Callable[[str | None, bool], RawDataset]
DATASETS: Registry[Loader] = Registry("dataset")


def load_raw(name: str, data_dir: str | None = None, download: bool = False) -> RawDataset:
    return DATASETS[name](data_dir, download)
