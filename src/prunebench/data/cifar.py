"""CIFAR-10 and CIFAR-100 from their python pickle batches: in data_dir, or downloaded by torchvision."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from prunebench.data.cifar_pickle import ForbiddenGlobal, load_cifar_pickle
from prunebench.data.raw import DATASETS, RawDataset
from prunebench.data.sources import DOWNLOAD_DIR, download_with_torchvision, not_found_message


@dataclass(frozen=True)
class CifarLayout:
    what: str
    folder: str  # the folder the archive extracts to
    train_files: tuple[str, ...]
    test_files: tuple[str, ...]
    label_key: bytes
    meta_file: str
    names_key: bytes
    torchvision_class: str

    def files(self) -> tuple[str, ...]:
        return (*self.train_files, *self.test_files, self.meta_file)


CIFAR10 = CifarLayout(
    "CIFAR-10",
    "cifar-10-batches-py",
    tuple(f"data_batch_{i}" for i in range(1, 6)),
    ("test_batch",),
    b"labels",
    "batches.meta",
    b"label_names",
    "CIFAR10",
)
CIFAR100 = CifarLayout(
    "CIFAR-100",
    "cifar-100-python",
    ("train",),
    ("test",),
    b"fine_labels",
    "meta",
    b"fine_label_names",
    "CIFAR100",
)


def unpickle_entries(path: Path, *keys: bytes) -> list:
    """The entries `keys` of the dict pickled in `path`; a damaged or unsafe file raises ValueError naming it."""
    with open(path, "rb") as f:
        try:
            content = load_cifar_pickle(f)
            return [content[key] for key in keys]
        except ForbiddenGlobal as e:
            raise ValueError(f"{path}: {e}") from e
        # A damaged pickle can fail with almost any exception type.
        except Exception as e:
            raise ValueError(f"{path} is not a readable CIFAR file: {e!r}") from e


def read_batches(folder: Path, names: tuple[str, ...], label_key: bytes) -> tuple[torch.Tensor, torch.Tensor]:
    images, labels = [], []
    for name in names:
        path = folder / name
        data, batch_labels = unpickle_entries(path, b"data", label_key)
        data = np.asarray(data)
        if data.dtype != np.uint8 or data.shape[1:] != (3 * 32 * 32,) or len(batch_labels) != len(data):
            raise ValueError(f"{path} is not a CIFAR batch: expected uint8 data [N, 3072] and N labels")
        images.append(data.reshape(-1, 3, 32, 32))
        labels.append(np.asarray(batch_labels, dtype=np.int64))
    return torch.from_numpy(np.concatenate(images)), torch.from_numpy(np.concatenate(labels))


def read_cifar(folder: Path, layout: CifarLayout) -> RawDataset:
    train_x, train_y = read_batches(folder, layout.train_files, layout.label_key)
    test_x, test_y = read_batches(folder, layout.test_files, layout.label_key)
    (names,) = unpickle_entries(folder / layout.meta_file, layout.names_key)
    return RawDataset(train_x, train_y, test_x, test_y, [n.decode() for n in names], source=str(folder))


def load_cifar(layout: CifarLayout, data_dir: str | None, download: bool) -> RawDataset:
    places = [Path(data_dir) / layout.folder, Path(data_dir)] if data_dir else []
    for place in places:
        if all((place / name).is_file() for name in layout.files()):
            return read_cifar(place, layout)

    message = not_found_message(
        layout.what,
        places,
        [f"set data_dir to the folder holding the extracted {layout.folder}/", "set download: true"],
    )
    if not download:
        raise FileNotFoundError(message)
    root = Path(data_dir) if data_dir else DOWNLOAD_DIR
    download_with_torchvision(layout.torchvision_class, root, message)
    return read_cifar(root / layout.folder, layout)


@DATASETS.register("cifar10")
def load_cifar10(data_dir: str | None, download: bool) -> RawDataset:
    return load_cifar(CIFAR10, data_dir, download)


@DATASETS.register("cifar100")
def load_cifar100(data_dir: str | None, download: bool) -> RawDataset:
    return load_cifar(CIFAR100, data_dir, download)
