"""Datasets: loaders of raw train/test tensors, and their seeded split into train/val/test."""
from prunebench.data import cifar, digits, mnist  # noqa: F401  (importing them registers the datasets)
from prunebench.data.prepared import PreparedData, load_prepared, save_prepared, to_float
from prunebench.data.raw import DATASETS, RawDataset, load_raw
from prunebench.data.split import prepare

__all__ = [
    "DATASETS", "PreparedData", "RawDataset", "load_prepared", "load_raw", "prepare", "save_prepared", "to_float",
]
