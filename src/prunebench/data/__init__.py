"""Datasets: loaders of raw train/test tensors (one module each, registered with @DATASETS.register and
imported here), and their seeded split into train/val/test."""

import importlib
import pkgutil

from prunebench.data.prepared import PreparedData, load_prepared, save_prepared, to_float
from prunebench.data.folder import FolderImages
from prunebench.data.raw import DATASETS, LOCAL_FOLDERS, RawDataset, load_raw
from prunebench.data.split import prepare

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "DATASETS",
    "FolderImages",
    "LOCAL_FOLDERS",
    "PreparedData",
    "RawDataset",
    "load_prepared",
    "load_raw",
    "prepare",
    "save_prepared",
    "to_float",
]
