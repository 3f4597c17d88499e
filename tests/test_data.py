"""Data loading and preparation, exercised with tiny files in the real on-disk formats."""

from __future__ import annotations

import gzip
import os
import pickle
import re
import struct
from functools import partial
from pathlib import Path

import numpy as np
import pytest
import torch

from prunebench.data import (
    DATASETS,
    PreparedData,
    RawDataset,
    load_prepared,
    load_raw,
    prepare,
    save_prepared,
    to_float,
)
from prunebench.data import mnist

IDX_NAMES = {
    "train_x": "train-images-idx3-ubyte",
    "train_y": "train-labels-idx1-ubyte",
    "test_x": "t10k-images-idx3-ubyte",
    "test_y": "t10k-labels-idx1-ubyte",
}
SYSTEM_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")


def idx_bytes(array: np.ndarray) -> bytes:
    header = b"\x00\x00\x08" + bytes([array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def tiny_idx_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "train_x": rng.integers(0, 256, (12, 28, 28), dtype=np.uint8),
        "train_y": (np.arange(12) * 7 % 10).astype(np.uint8),
        "test_x": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "test_y": np.array([9, 0, 3, 3, 1], dtype=np.uint8),
    }


def write_idx_files(directory: Path, arrays: dict[str, np.ndarray], gz: bool = True) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for key, name in IDX_NAMES.items():
        content = idx_bytes(arrays[key])
        if gz:
            (directory / f"{name}.gz").write_bytes(gzip.compress(content))
        else:
            (directory / name).write_bytes(content)


@pytest.fixture
def no_system_package(monkeypatch, tmp_path):
    monkeypatch.setattr(mnist, "SYSTEM_FASHION_MNIST_DIR", tmp_path / "no-system-package")


def assert_matches_idx_arrays(raw: RawDataset, arrays: dict[str, np.ndarray]) -> None:
    assert raw.train_x.dtype == torch.uint8 and raw.train_x.shape == (12, 1, 28, 28)
    assert raw.test_x.dtype == torch.uint8 and raw.test_x.shape == (5, 1, 28, 28)
    assert raw.train_y.dtype == torch.int64 and raw.test_y.dtype == torch.int64
    assert np.array_equal(raw.train_x[:, 0].numpy(), arrays["train_x"])
    assert np.array_equal(raw.test_x[:, 0].numpy(), arrays["test_x"])
    assert raw.train_y.tolist() == arrays["train_y"].tolist()
    assert raw.test_y.tolist() == arrays["test_y"].tolist()


@pytest.mark.parametrize("gz", [True, False], ids=["gz", "plain"])
@pytest.mark.parametrize("layout", ["", "FashionMNIST/raw"], ids=["flat", "torchvision"])
def test_fashion_mnist_from_data_dir(tmp_path, no_system_package, layout, gz):
    arrays = tiny_idx_arrays()
    write_idx_files(tmp_path / layout, arrays, gz=gz)

    raw = load_raw("fashion_mnist", data_dir=str(tmp_path))

    assert_matches_idx_arrays(raw, arrays)
    assert raw.classes[0] == "T-shirt/top" and raw.classes[9] == "Ankle boot" and len(raw.classes) == 10
    assert raw.source == str(tmp_path / layout)


def test_mnist_from_torchvision_layout(tmp_path):
    arrays = tiny_idx_arrays()
    write_idx_files(tmp_path / "MNIST" / "raw", arrays)

    raw = load_raw("mnist", data_dir=str(tmp_path))

    assert_matches_idx_arrays(raw, arrays)
    assert raw.classes == [str(d) for d in range(10)]


def test_fashion_mnist_falls_back_to_system_package(tmp_path, monkeypatch):
    arrays = tiny_idx_arrays()
    write_idx_files(tmp_path / "system", arrays)
    monkeypatch.setattr(mnist, "SYSTEM_FASHION_MNIST_DIR", tmp_path / "system")

    raw = load_raw("fashion_mnist")

    assert_matches_idx_arrays(raw, arrays)
    assert raw.source == str(tmp_path / "system")


def test_fashion_mnist_missing_everywhere_says_where_it_looked_and_how_to_fix(tmp_path, no_system_package):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError) as error:
        load_raw("fashion_mnist", data_dir=str(empty), download=False)
    message = str(error.value)
    for expected in ["dataset-fashion-mnist", "data_dir", "download", str(empty), str(tmp_path / "no-system-package")]:
        assert expected in message


def test_mnist_missing_raises_without_download(tmp_path):
    with pytest.raises(FileNotFoundError, match="MNIST.*data_dir"):
        load_raw("mnist", data_dir=str(tmp_path), download=False)


def test_fashion_mnist_download_reads_what_torchvision_fetched(tmp_path, monkeypatch, no_system_package):
    arrays = tiny_idx_arrays()
    calls = []

    def fake_download(class_name, root, not_found):
        calls.append((class_name, root))
        write_idx_files(root / class_name / "raw", arrays, gz=False)

    monkeypatch.setattr(mnist, "download_with_torchvision", fake_download)

    raw = load_raw("fashion_mnist", data_dir=str(tmp_path / "cache"), download=True)

    assert calls == [("FashionMNIST", tmp_path / "cache")]
    assert_matches_idx_arrays(raw, arrays)


def truncate_gz(path: Path) -> Path:
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 2])
    return path


def truncate_plain(path: Path) -> Path:
    content = path.read_bytes()
    path.write_bytes(content[:-10])
    return path


def spoil_magic(path: Path) -> Path:
    path.write_bytes(b"\x01" + path.read_bytes()[1:])
    return path


def cut_header(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[:6])
    return path


@pytest.mark.parametrize(
    "gz, spoil",
    [(True, truncate_gz), (False, truncate_plain), (False, spoil_magic), (False, cut_header)],
    ids=["truncated-gz", "truncated-idx", "bad-magic", "truncated-header"],
)
def test_corrupt_idx_file_raises_value_error_naming_it(tmp_path, no_system_package, gz, spoil):
    write_idx_files(tmp_path, tiny_idx_arrays(), gz=gz)
    name = IDX_NAMES["train_x"] + (".gz" if gz else "")
    spoil(tmp_path / name)

    with pytest.raises(ValueError, match=re.escape(str(tmp_path / name))):
        load_raw("fashion_mnist", data_dir=str(tmp_path))


def write_pickle(path: Path, obj) -> None:
    path.write_bytes(pickle.dumps(obj))


def cifar_batch(rng, n: int, label_key: bytes, num_classes: int) -> dict:
    return {
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        label_key: rng.integers(0, num_classes, n).tolist(),
        b"filenames": [f"img{i}.png".encode() for i in range(n)],
    }


def write_cifar10(data_dir: Path) -> tuple[list[dict], dict]:
    folder = data_dir / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(1)
    train = [cifar_batch(rng, 2, b"labels", 10) for _ in range(5)]
    for i, batch in enumerate(train, start=1):
        write_pickle(folder / f"data_batch_{i}", batch)
    test = cifar_batch(rng, 3, b"labels", 10)
    write_pickle(folder / "test_batch", test)
    names = [b"airplane", b"automobile", b"bird", b"cat", b"deer", b"dog", b"frog", b"horse", b"ship", b"truck"]
    write_pickle(folder / "batches.meta", {b"label_names": names, b"num_vis": 3072})
    return train, test


def test_cifar10_from_pickle_batches(tmp_path):
    train, test = write_cifar10(tmp_path)

    raw = load_raw("cifar10", data_dir=str(tmp_path))

    assert raw.train_x.shape == (10, 3, 32, 32) and raw.train_x.dtype == torch.uint8
    assert raw.test_x.shape == (3, 3, 32, 32)
    expected_train = np.concatenate([b[b"data"] for b in train]).reshape(10, 3, 32, 32)
    assert np.array_equal(raw.train_x.numpy(), expected_train)
    assert np.array_equal(raw.test_x.numpy(), test[b"data"].reshape(3, 3, 32, 32))
    assert raw.train_y.dtype == torch.int64
    assert raw.train_y.tolist() == [label for b in train for label in b[b"labels"]]
    assert raw.test_y.tolist() == test[b"labels"]
    assert raw.classes[0] == "airplane" and raw.classes[9] == "truck"
    assert raw.source == str(tmp_path / "cifar-10-batches-py")


def test_cifar100_from_pickle_batches(tmp_path):
    folder = tmp_path / "cifar-100-python"
    folder.mkdir()
    rng = np.random.default_rng(2)
    train, test = cifar_batch(rng, 4, b"fine_labels", 100), cifar_batch(rng, 2, b"fine_labels", 100)
    for batch in (train, test):
        batch[b"coarse_labels"] = [0] * len(batch[b"fine_labels"])
    write_pickle(folder / "train", train)
    write_pickle(folder / "test", test)
    fine_names = [f"class{i}".encode() for i in range(100)]
    write_pickle(folder / "meta", {b"fine_label_names": fine_names, b"coarse_label_names": [b"all"]})

    raw = load_raw("cifar100", data_dir=str(tmp_path))

    assert raw.train_x.shape == (4, 3, 32, 32) and raw.test_x.shape == (2, 3, 32, 32)
    assert np.array_equal(raw.train_x.numpy(), train[b"data"].reshape(4, 3, 32, 32))
    assert raw.train_y.tolist() == train[b"fine_labels"] and raw.test_y.tolist() == test[b"fine_labels"]
    assert raw.classes == [f"class{i}" for i in range(100)]


def test_corrupt_cifar_pickle_raises_value_error_naming_it(tmp_path):
    write_cifar10(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "data_batch_3"
    path.write_bytes(path.read_bytes()[:100])

    with pytest.raises(ValueError, match=re.escape(str(path))):
        load_raw("cifar10", data_dir=str(tmp_path))


class RunsCommand:
    """Unpickles as a call of os.system: what a malicious data_dir could hold in place of a CIFAR batch."""

    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return os.system, (self.command,)


def test_cifar_pickle_carrying_a_callable_is_refused_naming_the_file(tmp_path):
    write_cifar10(tmp_path)
    path = tmp_path / "cifar-10-batches-py" / "data_batch_2"
    marker = tmp_path / "ran"
    write_pickle(path, {b"data": RunsCommand(f"touch {marker}"), b"labels": [0]})

    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*refused to load (posix|os).system"):
        load_raw("cifar10", data_dir=str(tmp_path))
    assert not marker.exists()


def numpy1_protocol2(batch: dict) -> bytes:
    """As the published batches name numpy's array rebuilder: numpy.core (numpy < 2), not numpy._core."""
    return pickle.dumps(batch, protocol=2).replace(b"numpy._core.multiarray\n", b"numpy.core.multiarray\n")


@pytest.mark.parametrize(
    "dumps",
    [
        numpy1_protocol2,
        partial(pickle.dumps, protocol=2),
        partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL),
    ],
)
def test_cifar_batches_load_at_every_pickle_protocol(tmp_path, dumps):
    train, _ = write_cifar10(tmp_path)
    for i, batch in enumerate(train, start=1):
        (tmp_path / "cifar-10-batches-py" / f"data_batch_{i}").write_bytes(dumps(batch))

    raw = load_raw("cifar10", data_dir=str(tmp_path))

    assert np.array_equal(raw.train_x.numpy(), np.concatenate([b[b"data"] for b in train]).reshape(10, 3, 32, 32))


def test_cifar_missing_raises_without_download(tmp_path):
    with pytest.raises(FileNotFoundError, match="cifar-10-batches-py"):
        load_raw("cifar10", data_dir=str(tmp_path), download=False)


def test_digits_needs_no_files():
    raw = load_raw("digits")

    assert raw.train_x.dtype == torch.uint8 and raw.train_x.shape[1:] == (1, 8, 8)
    assert raw.test_x.shape[1:] == (1, 8, 8)
    assert len(raw.train_y) + len(raw.test_y) == 1797
    assert len(raw.test_y) == round(1797 * 0.2)
    assert raw.train_x.max() == 255 and raw.train_x.min() == 0
    assert raw.classes == [str(d) for d in range(10)]
    assert set(raw.test_y.tolist()) == set(range(10))


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(KeyError, match="fashion_mnist"):
        load_raw("no_such_dataset")
    assert {"fashion_mnist", "mnist", "cifar10", "cifar100", "digits"} <= set(DATASETS.names())


def numbered_raw(n_train: int = 50, n_test: int = 20) -> RawDataset:
    """Every image is filled with its row number, so a split's rows can be traced back."""

    def images(n, offset):
        return (torch.arange(n, dtype=torch.uint8) + offset).view(n, 1, 1, 1).expand(n, 1, 4, 4).clone()

    return RawDataset(
        train_x=images(n_train, 0),
        train_y=torch.arange(n_train) % 10,
        test_x=images(n_test, 100),
        test_y=torch.arange(n_test) % 10,
        classes=[str(d) for d in range(10)],
        source="synthetic",
    )


def row_ids(x: torch.Tensor) -> list[int]:
    return x[:, 0, 0, 0].tolist()


def test_prepare_carves_validation_from_training_set():
    raw = numbered_raw()

    data = prepare(raw, val_size=10, seed=0)

    assert len(data.val_y) == 10 and len(data.train_y) == 40 and len(data.test_y) == 20
    val_rows, train_rows = row_ids(data.val_x), row_ids(data.train_x)
    assert set(val_rows) | set(train_rows) == set(range(50))
    assert not set(val_rows) & set(train_rows)
    assert data.val_y.tolist() == [r % 10 for r in val_rows]
    assert data.train_y.tolist() == [r % 10 for r in train_rows]
    assert torch.equal(data.test_x, raw.test_x) and torch.equal(data.test_y, raw.test_y)
    assert data.train_x.dtype == torch.uint8 and data.train_y.dtype == torch.int64
    assert data.input_shape == (1, 4, 4) and data.num_classes == 10
    assert data.source == "synthetic"


def test_prepare_subsets():
    raw = numbered_raw()

    data = prepare(raw, val_size=10, seed=0, train_subset=15, test_subset=7)

    assert len(data.train_y) == 15 and len(data.val_y) == 10 and len(data.test_y) == 7
    assert not set(row_ids(data.val_x)) & set(row_ids(data.train_x))
    assert set(row_ids(data.test_x)) <= set(range(100, 120))
    assert len(set(row_ids(data.test_x))) == 7
    assert data.test_y.tolist() == [(r - 100) % 10 for r in row_ids(data.test_x)]


def test_prepare_is_deterministic_per_seed():
    raw = numbered_raw()

    first = prepare(raw, val_size=10, seed=3, train_subset=20, test_subset=5)
    again = prepare(raw, val_size=10, seed=3, train_subset=20, test_subset=5)
    other = prepare(raw, val_size=10, seed=4, train_subset=20, test_subset=5)

    for name in ["train_x", "train_y", "val_x", "val_y", "test_x", "test_y"]:
        assert torch.equal(getattr(first, name), getattr(again, name))
    assert first.checksum() == again.checksum()
    assert row_ids(first.val_x) != row_ids(other.val_x)
    assert first.checksum() != other.checksum()


@pytest.mark.parametrize(
    "key, sizes",
    [
        ("val_size", dict(val_size=51)),
        ("val_size", dict(val_size=-1)),
        ("train_subset", dict(val_size=10, train_subset=41)),
        ("test_subset", dict(val_size=10, test_subset=21)),
    ],
)
def test_prepare_rejects_impossible_sizes(key, sizes):
    with pytest.raises(ValueError, match=key):
        prepare(numbered_raw(), seed=0, **sizes)


def test_save_and_load_prepared_round_trip(tmp_path):
    data = prepare(numbered_raw(), val_size=10, seed=0, train_subset=30)
    path = tmp_path / "prepared" / "data.pt"

    save_prepared(path, data)
    loaded = load_prepared(path)

    assert isinstance(loaded, PreparedData)
    assert loaded.checksum() == data.checksum()
    assert loaded.classes == data.classes and loaded.source == data.source
    assert loaded.input_shape == data.input_shape
    assert list(path.parent.iterdir()) == [path]


def test_to_float_scales_to_unit_interval():
    x = torch.tensor([0, 51, 255], dtype=torch.uint8)

    y = to_float(x)

    assert y.dtype == torch.float32
    assert torch.allclose(y, torch.tensor([0.0, 0.2, 1.0]))
    with pytest.raises(TypeError):
        to_float(y)


@pytest.mark.skipif(not SYSTEM_FASHION_MNIST.is_dir(), reason="system package dataset-fashion-mnist not installed")
def test_real_fashion_mnist_from_system_package():
    raw = load_raw("fashion_mnist")

    assert raw.train_x.shape == (60000, 1, 28, 28) and raw.test_x.shape == (10000, 1, 28, 28)
    assert raw.train_x.dtype == torch.uint8
    assert len(raw.classes) == 10
    assert sorted(raw.train_y.unique().tolist()) == list(range(10))
