"""Tiny datasets in the real on-disk formats, and stand-ins for torchvision's pretrained weights files: what the paper
config reads, written small enough for a CPU run of its whole DAG."""

from __future__ import annotations

import gzip
import pickle
import struct
from pathlib import Path

import numpy as np
import torch

from imagenet_folder import write_imagenet
from prunebench.data import dsprites

TRAIN, TEST = 40, 20  # images per dataset


def write_idx(path: Path, array: np.ndarray) -> None:
    header = b"\x00\x00\x08" + bytes([array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def write_mnist(root: Path, rng: np.random.Generator) -> None:
    """MNIST/raw/*-ubyte.gz, torchvision's layout."""
    folder = root / "MNIST" / "raw"
    folder.mkdir(parents=True)
    for stem, n in (("train", TRAIN), ("t10k", TEST)):
        write_idx(folder / f"{stem}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        write_idx(folder / f"{stem}-labels-idx1-ubyte.gz", np.arange(n) % 10)


def cifar_batch(rng: np.random.Generator, n: int, label_key: bytes, classes: int) -> dict:
    return {
        b"batch_label": b"paper check",
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        label_key: [i % classes for i in range(n)],
        b"filenames": [f"image_{i}.png".encode() for i in range(n)],
    }


def write_pickle(path: Path, content: dict) -> None:
    path.write_bytes(pickle.dumps(content, protocol=2))  # the published batches' protocol


def write_cifar10(root: Path, rng: np.random.Generator) -> None:
    folder = root / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    for i in range(1, 6):
        write_pickle(folder / f"data_batch_{i}", cifar_batch(rng, TRAIN // 5, b"labels", 10))
    write_pickle(folder / "test_batch", cifar_batch(rng, TEST, b"labels", 10))
    write_pickle(folder / "batches.meta", {b"label_names": [f"class_{i}".encode() for i in range(10)]})


def write_cifar100(root: Path, rng: np.random.Generator) -> None:
    folder = root / "cifar-100-python"
    folder.mkdir(parents=True)
    for name, n in (("train", TRAIN), ("test", TEST)):
        batch = cifar_batch(rng, n, b"fine_labels", 100)
        batch[b"coarse_labels"] = [label // 5 for label in batch[b"fine_labels"]]
        write_pickle(folder / name, batch)
    names = {
        b"fine_label_names": [f"fine_{i}".encode() for i in range(100)],
        b"coarse_label_names": [f"coarse_{i}".encode() for i in range(20)],
    }
    write_pickle(folder / "meta", names)


def write_dsprites(root: Path) -> None:
    """The real npz's arrays for every factor combination (the loader looks each one up); each image is its shape
    drawn at the largest scale in the centre, so that the file compresses to a few MB."""
    design = dsprites.REAL
    grid = dsprites.factor_grid(design)
    centred = torch.tensor(
        [
            [shape, design.scales - 1, 0, design.positions // 2, design.positions // 2]
            for shape in range(len(dsprites.SHAPES))
        ]
    )
    shapes = (dsprites.render(centred, design)[:, 0] // 255).numpy()
    latents = np.concatenate([np.zeros((len(grid), 1), np.int64), grid.numpy()], axis=1)
    np.savez_compressed(
        root / dsprites.NPZ_NAME,
        imgs=shapes[grid[:, 0].numpy()],
        latents_classes=latents,
        latents_values=latents.astype(np.float64),
    )


def write_weights(home: Path, config: dict) -> None:
    """A torchvision state dict (randomly initialized) at each `weights:` path of the paper config, `~` being `home`."""
    import torchvision

    for study in config["studies"].values():
        for spec in (study.get("models") or {}).values():
            if spec and spec.get("weights"):
                path = Path(spec["weights"].replace("~", str(home), 1))
                path.parent.mkdir(parents=True, exist_ok=True)
                net = getattr(torchvision.models, spec["arch"].removeprefix("tv_"))(weights=None)
                torch.save(net.state_dict(), path)


def write_data(root: Path, imagenet: Path) -> None:
    rng = np.random.default_rng(0)
    root.mkdir(parents=True)
    write_mnist(root, rng)
    write_cifar10(root, rng)
    write_cifar100(root, rng)
    write_dsprites(root)
    write_imagenet(imagenet, train_per_class=12, val_per_class=6)
