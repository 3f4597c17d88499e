"""Seeded validation split and subsetting of a raw dataset."""

from __future__ import annotations

import torch

from prunebench.data.prepared import PreparedData
from prunebench.data.raw import RawDataset


def check_size(key: str, value: int, available: int, what: str) -> None:
    if not 0 <= value <= available:
        raise ValueError(f"{key}={value} is out of range: the data has {available} {what}")


def prepare(
    raw: RawDataset, val_size: int, seed: int, train_subset: int | None = None, test_subset: int | None = None
) -> PreparedData:
    """Carve `val_size` examples from a seeded permutation of the training set (never the test set), then keep
    the first `train_subset` remaining training examples and `test_subset` randomly chosen test examples."""
    n_train, n_test = len(raw.train_y), len(raw.test_y)
    check_size("val_size", val_size, n_train, "training examples")
    if train_subset is not None:
        check_size("train_subset", train_subset, n_train - val_size, "training examples left after validation")
    if test_subset is not None:
        check_size("test_subset", test_subset, n_test, "test examples")

    generator = torch.Generator().manual_seed(seed)
    order = torch.randperm(n_train, generator=generator)
    val_idx, train_idx = order[:val_size], order[val_size:]
    if train_subset is not None:
        train_idx = train_idx[:train_subset]
    test_idx = torch.arange(n_test)
    if test_subset is not None:
        test_idx = torch.randperm(n_test, generator=generator)[:test_subset]

    return PreparedData(
        raw.train_x[train_idx],
        raw.train_y[train_idx],
        raw.train_x[val_idx],
        raw.train_y[val_idx],
        raw.test_x[test_idx],
        raw.test_y[test_idx],
        classes=list(raw.classes),
        source=raw.source,
    )
