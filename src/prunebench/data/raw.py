"""The raw train/test tensors of a dataset, and the registry of loaders that produce them."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

import torch

from prunebench.data.folder import FolderImages
from prunebench.registry import Registry


@dataclass
class RawDataset:
    train_x: torch.Tensor | FolderImages  # uint8 [N, C, H, W]
    train_y: torch.Tensor  # int64 [N]
    test_x: torch.Tensor | FolderImages
    test_y: torch.Tensor
    classes: list[str]
    source: str  # the file or folder the data was read from


# (data_dir, download, **options) -> RawDataset; options (config `datasets.<name>.options`) are the loader's keywords.
Loader = Callable[..., RawDataset]
DATASETS: Registry[Loader] = Registry("dataset")
# Datasets that only a local folder provides (no download): name -> a cheap check, data_dir -> the folder, raising
# FileNotFoundError (with what to set) where it is not there.
LOCAL_FOLDERS: dict[str, Callable[[str | None], object]] = {}


def option_error(name: str, options: dict) -> str | None:
    """Why the loader of dataset `name` cannot take `options` (config `datasets.<name>.options`), or None."""
    parameters = inspect.signature(DATASETS[name]).parameters
    accepted = list(parameters)[2:]  # after (data_dir, download)
    if unknown := sorted(set(options) - set(accepted)):
        return (
            f"config key datasets.{name}.options: {unknown} not accepted; dataset {name!r} takes"
            f" {accepted or 'no options'}"
        )
    return None


def load_raw(name: str, data_dir: str | None = None, download: bool = False, options: dict | None = None) -> RawDataset:
    options = options or {}
    if error := option_error(name, options):
        raise ValueError(error)
    return DATASETS[name](data_dir, download, **options)
