"""A tiny ImageNet in its on-disk layout: train/<wnid>/*.JPEG and val/<wnid>/*.JPEG, real JPEG files (one PNG and
one greyscale JPEG among them, as in ILSVRC-2012), images of varied sizes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

WNIDS = ("n01440764", "n01443537", "n01484850")


def write_image(path: Path, rng: np.random.Generator, label: int, mode: str = "RGB", fmt: str = "JPEG") -> None:
    height, width = int(rng.integers(20, 48)), int(rng.integers(20, 48))
    pixels = rng.integers(0, 120, (height, width, 3), dtype=np.uint8)
    pixels[..., label] += 120  # a class is a dominant colour: learnable in a few steps
    Image.fromarray(pixels).convert(mode).save(path, fmt, quality=95)


def write_imagenet(root: Path, train_per_class: int = 8, val_per_class: int = 3, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    for split, count in (("train", train_per_class), ("val", val_per_class)):
        for label, wnid in enumerate(WNIDS):
            folder = root / split / wnid
            folder.mkdir(parents=True)
            for i in range(count):
                name = f"{wnid}_{split}_{i:04d}.JPEG"
                if split == "train" and label == 0 and i == 0:
                    write_image(folder / name, rng, label, fmt="PNG")  # ILSVRC-2012 has a PNG named .JPEG
                elif split == "train" and label == 1 and i == 0:
                    write_image(folder / name, rng, label, mode="L")
                else:
                    write_image(folder / name, rng, label)
    return root
