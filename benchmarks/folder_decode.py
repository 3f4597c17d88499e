"""Decoding throughput of a dataset kept as files (002-T2's ImageNet path, `prunebench.data.folder`): JPEGs of
ImageNet's typical size (500x375, quality 90, smooth content with fine noise: ~60-110 KB like ILSVRC's) decoded into
224x224 float network inputs, as evaluation does (`to_float`: resize 256, centre crop) and as training does
(`augmented`: random-resized crop and flip), with 1 and 2 threads, best of 3 after one warm-up pass. The images per
second a GPU step needs are what these numbers are compared with.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from benchmarks.common import Result
from prunebench.data import load_raw, to_float
from prunebench.data.augment import augmented
from prunebench.determinism import Stream, generator

IMAGES, WIDTH, HEIGHT, REPEATS = 256, 500, 375, 3


def write_jpegs(root: Path) -> int:
    rng = np.random.default_rng(0)
    total = 0
    for split, count in (("train", IMAGES), ("val", 1)):
        folder = root / split / "n00000000"
        folder.mkdir(parents=True)
        for i in range(count):
            coarse = rng.integers(0, 256, (HEIGHT // 25, WIDTH // 25, 3), dtype=np.uint8)
            smooth = np.asarray(Image.fromarray(coarse).resize((WIDTH, HEIGHT), Image.BICUBIC), dtype=np.int16)
            pixels = np.clip(smooth + rng.integers(-12, 13, smooth.shape), 0, 255).astype(np.uint8)
            path = folder / f"{i:05d}.JPEG"
            Image.fromarray(pixels).save(path, "JPEG", quality=90)
            total += path.stat().st_size if split == "train" else 0
    return total // IMAGES


def images_per_second(read, threads: int) -> float:
    torch.set_num_threads(threads)
    read()
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        read()
        best = min(best, time.perf_counter() - start)
    return IMAGES / best


def run() -> list[Result]:
    threads = torch.get_num_threads()
    with tempfile.TemporaryDirectory() as tmp:
        mean_bytes = write_jpegs(Path(tmp))
        images = load_raw("imagenet", tmp).train_x
        results = [Result("folder_decode", f"mean JPEG size ({WIDTH}x{HEIGHT}, quality 90)", mean_bytes / 1000, "KB")]
        for n in (1, 2):
            rate = images_per_second(lambda: to_float(images), n)
            results.append(
                Result("folder_decode", f"evaluation decode (resize 256, crop 224), {n} thread(s)", rate, "images/s")
            )
            rate = images_per_second(
                lambda: augmented(images, "resized_crop_flip", generator(0, Stream.AUGMENTATION)), n
            )
            results.append(
                Result(
                    "folder_decode", f"training decode (random-resized crop 224, flip), {n} thread(s)", rate, "images/s"
                )
            )
    torch.set_num_threads(threads)
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
