"""Training-time augmentation of a batch, drawn from one generator (the run's augmentation stream), so the same seed
gives the same crops and flips whatever the number of decoding threads.

- `none`: the images as they are (a folder's images centre-cropped).
- `crop_flip`: CIFAR's usual augmentation (He et al. 2016): 4 zero pixels padded on each side, a random crop of the
  original size, a horizontal flip with probability 1/2.
- `resized_crop_flip`: ImageNet's (torchvision's reference recipe): a random crop of 8-100% of the image's area and
  aspect ratio 3/4-4/3 resized to the network's input, a horizontal flip with probability 1/2. A folder's images are
  cropped from the whole decoded image.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from prunebench.data.folder import FolderImages
from prunebench.data.prepared import Images, to_float

AUGMENTATIONS = ("none", "crop_flip", "resized_crop_flip")
CROP_PADDING = 4
AREA_RANGE = (0.08, 1.0)
RATIO_RANGE = (3 / 4, 4 / 3)


def augmented(images: Images, how: str, generator: torch.Generator) -> torch.Tensor:
    """float32 [N, C, H, W] in [0, 1]: `images` augmented as `how` says (one of AUGMENTATIONS)."""
    if how == "none":
        return to_float(images)
    if how == "crop_flip":
        return to_float(padded_crop_flip(images.read() if isinstance(images, FolderImages) else images, generator))
    if how == "resized_crop_flip":
        return to_float(resized_crop_flip(images, generator))
    raise ValueError(f"unknown augmentation {how!r}; known: {AUGMENTATIONS}")


def padded_crop_flip(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    n, _, h, w = x.shape
    padded = F.pad(x, (CROP_PADDING,) * 4)
    offsets = torch.randint(0, 2 * CROP_PADDING + 1, (n, 2), generator=generator).tolist()
    flips = torch.rand(n, generator=generator) < 0.5
    out = torch.stack([padded[k, :, i : i + h, j : j + w] for k, (i, j) in enumerate(offsets)])
    out[flips] = out[flips].flip(-1)
    return out


def resized_crop_flip(images: Images, generator: torch.Generator) -> torch.Tensor:
    """uint8 [N, C, size, size]. Each image gets a seed of its own from `generator`, drawn in order before any
    decoding."""
    seeds = torch.randint(0, 2**62, (len(images),), generator=generator).tolist()
    if isinstance(images, FolderImages):
        size = images.decode.size
        return images.read([lambda image, seed=seed: random_resized_crop_flip(image, size, seed) for seed in seeds])
    size = images.shape[-1]
    return torch.stack([random_resized_crop_flip(image, size, seed) for image, seed in zip(images, seeds)])


def random_resized_crop_flip(image: torch.Tensor, size: int, seed: int) -> torch.Tensor:
    from torchvision.transforms.v2 import functional as TF  # here: importing torchvision costs every job ~1.5 s

    generator = torch.Generator().manual_seed(seed)
    top, left, height, width = crop_box(image.shape[-2], image.shape[-1], generator)
    crop = TF.resized_crop(image, top, left, height, width, [size, size], antialias=True)
    return crop.flip(-1) if torch.rand((), generator=generator) < 0.5 else crop


def crop_box(height: int, width: int, generator: torch.Generator) -> tuple[int, int, int, int]:
    """(top, left, height, width) of a random crop within AREA_RANGE of the area and RATIO_RANGE of aspect ratio: up to
    10 tries, then the largest centred crop within the ratio range (torchvision's RandomResizedCrop.get_params)."""
    area = height * width
    log_ratio = (math.log(RATIO_RANGE[0]), math.log(RATIO_RANGE[1]))
    for _ in range(10):
        draws = torch.rand(2, generator=generator).tolist()
        target = area * (AREA_RANGE[0] + draws[0] * (AREA_RANGE[1] - AREA_RANGE[0]))
        ratio = math.exp(log_ratio[0] + draws[1] * (log_ratio[1] - log_ratio[0]))
        w, h = round(math.sqrt(target * ratio)), round(math.sqrt(target / ratio))
        if 0 < w <= width and 0 < h <= height:
            top = int(torch.randint(0, height - h + 1, (), generator=generator))
            left = int(torch.randint(0, width - w + 1, (), generator=generator))
            return top, left, h, w
    ratio = width / height
    if ratio < RATIO_RANGE[0]:
        w, h = width, round(width / RATIO_RANGE[0])
    elif ratio > RATIO_RANGE[1]:
        h, w = height, round(height * RATIO_RANGE[1])
    else:
        h, w = height, width
    return (height - h) // 2, (width - w) // 2, h, w
