"""Images kept as files (ImageNet): a lazy view over a folder of images, decoded batch by batch.

A `FolderImages` stands where an in-memory dataset has its uint8 [N, C, H, W] tensor: indexing it with a slice or with
indices gives another view (nothing is read), `to_float` decodes a view into a float batch. Decoding is Pillow's
(torchvision's
own decoders are deprecated since 0.29): RGB, the shorter side resized to `resize`, the centre `size` x `size` crop (the
usual ImageNet
evaluation transform); training augmentation (`prunebench.data.augment`) decodes with a random crop instead. Files are
decoded by a pool of threads (the decoders release the GIL), one image per task, in a fixed order.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class Decode:
    size: int = 224  # the square image fed to the network
    resize: int = 256  # the shorter side before the centre crop (evaluation)


# One image (uint8 [3, h, w], whole) -> the image the network sees (uint8 [3, size, size]).
Crop = Callable[[torch.Tensor], torch.Tensor]


class FolderImages:
    """Files `root/files[i]` for i in `index`, decoded with `decode`. `file_bytes` (per file) makes the checksum
    sensitive to a file being replaced without reading 150 GB."""

    def __init__(self, root: str, files: list[str], file_bytes: torch.Tensor, index: torch.Tensor, decode: Decode):
        self.root, self.files, self.file_bytes, self.index, self.decode = root, files, file_bytes, index, decode

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, key) -> "FolderImages":
        index = self.index[key]
        if index.dim() != 1:
            raise IndexError("a FolderImages view is indexed by a slice or a 1-d tensor of positions")
        return FolderImages(self.root, self.files, self.file_bytes, index, self.decode)

    @property
    def shape(self) -> tuple[int, ...]:
        return (len(self), 3, self.decode.size, self.decode.size)

    def paths(self) -> list[Path]:
        return [Path(self.root, self.files[i]) for i in self.index.tolist()]

    def read(self, crops: list[Crop] | None = None) -> torch.Tensor:
        """uint8 [N, 3, size, size]: each image centre-cropped, or cropped by its own function in `crops`."""
        crops = crops or [self.centre_crop] * len(self)
        with ThreadPoolExecutor(max(1, torch.get_num_threads())) as pool:
            images = list(pool.map(lambda path, crop: crop(read_rgb(path)), self.paths(), crops))
        return torch.stack(images) if images else torch.empty(self.shape, dtype=torch.uint8)

    def centre_crop(self, image: torch.Tensor) -> torch.Tensor:
        from torchvision.transforms.v2 import functional as TF  # here: importing torchvision costs every job ~1.5 s

        return TF.center_crop(TF.resize(image, self.decode.resize, antialias=True), self.decode.size)

    def update_digest(self, digest: "hashlib._Hash") -> None:
        for i in self.index.tolist():
            digest.update(f"{self.files[i]}\0{int(self.file_bytes[i])}\n".encode())

    def to_state(self) -> dict:
        """Plain tensors and strings (loads with torch.load(weights_only=True))."""
        return {
            "root": self.root,
            "files": self.files,
            "file_bytes": self.file_bytes,
            "index": self.index,
            "size": self.decode.size,
            "resize": self.decode.resize,
        }

    @classmethod
    def from_state(cls, state: dict) -> "FolderImages":
        return cls(
            state["root"], state["files"], state["file_bytes"], state["index"], Decode(state["size"], state["resize"])
        )


def read_rgb(path: Path) -> torch.Tensor:
    """uint8 [3, h, w] (greyscale and CMYK JPEGs converted); a file that is not an image raises naming it."""
    try:
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, OSError) as e:
        raise ValueError(f"{path} is not a readable image: {e}") from e
    return torch.from_numpy(pixels.copy()).permute(2, 0, 1)
