"""scikit-learn's bundled 8x8 handwritten digits: a tiny dataset that needs no files."""

from __future__ import annotations

import numpy as np
import torch

from prunebench.data.raw import DATASETS, RawDataset

TEST_FRACTION = 0.2


@DATASETS.register("digits")
def load_digits(data_dir: str | None, download: bool) -> RawDataset:
    """The last 20% of the examples form the test set; data_dir and download are not needed."""
    from sklearn.datasets import load_digits as sklearn_load_digits

    bunch = sklearn_load_digits()
    images = torch.from_numpy(np.rint(bunch.images * (255 / 16)).astype(np.uint8)).unsqueeze(1)
    labels = torch.from_numpy(bunch.target.astype(np.int64))
    n_train = len(labels) - round(len(labels) * TEST_FRACTION)
    return RawDataset(
        images[:n_train],
        labels[:n_train],
        images[n_train:],
        labels[n_train:],
        classes=[str(d) for d in range(10)],
        source="sklearn.datasets.load_digits (bundled with scikit-learn)",
    )
