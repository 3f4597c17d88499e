"""dSprites (Matthey et al. 2017), generated in code: 64x64 binary images of a square, an ellipse or a heart at
6 scales, 40 orientations and 32 x 32 positions, with their ground-truth factors (737,280 combinations).

A deterministic subset of the factor grid is drawn (seeded) and rendered; the real
`dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz` is read instead when it lies in `data_dir`.
Not a registered dataset: the study needs the factors next to the images, and only a subset of the grid.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

FACTOR_NAMES = ("shape", "scale", "orientation", "pos_x", "pos_y")
FACTOR_SIZES = (3, 6, 40, 32, 32)
SHAPES = ("square", "ellipse", "heart")
NPZ_NAME = "dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz"
SIZE = 64
SCALES = torch.linspace(0.5, 1.0, 6)
ORIENTATIONS = torch.linspace(0, 2 * math.pi, 41)[:-1]
POSITIONS = torch.linspace(0, 1, 32)
BASE_RADIUS = 10.0  # pixels, at scale 1
MARGIN = 12.0  # pixels between the image border and the extreme sprite centres


def factor_grid_indices(n: int, seed: int) -> torch.Tensor:
    """Factor class indices [n, 5] of n distinct combinations drawn without replacement from the full grid."""
    total = math.prod(FACTOR_SIZES)
    if not 1 <= n <= total:
        raise ValueError(f"dSprites subset size {n} is out of range: the grid has {total} combinations")
    flat = torch.randperm(total, generator=torch.Generator().manual_seed(seed))[:n]
    out, rest = [], flat
    for size in reversed(FACTOR_SIZES):
        out.append(rest % size)
        rest = rest // size
    return torch.stack(out[::-1], dim=1)


def _inside(shape: int, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Whether sprite-frame coordinates (unit radius) lie inside the shape."""
    if shape == 0:
        return (u.abs() <= 0.8) & (v.abs() <= 0.8)
    if shape == 1:
        return (u / 1.0) ** 2 + (v / 0.5) ** 2 <= 1.0
    x, y = u / 0.9, -v / 0.9 + 0.1  # heart: (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, point up in image coordinates
    return (x**2 + y**2 - 1) ** 3 - x**2 * y**3 <= 0


def render(factors: torch.Tensor, chunk: int = 2048) -> torch.Tensor:
    """uint8 images [n, 1, 64, 64] (0 or 255) of factor class indices [n, 5]."""
    coords = torch.arange(SIZE, dtype=torch.float32) + 0.5
    py, px = torch.meshgrid(coords, coords, indexing="ij")
    images = torch.zeros((len(factors), 1, SIZE, SIZE), dtype=torch.uint8)
    span = SIZE - 2 * MARGIN
    for start in range(0, len(factors), chunk):
        f = factors[start : start + chunk]
        radius = (BASE_RADIUS * SCALES[f[:, 1]]).view(-1, 1, 1)
        theta = ORIENTATIONS[f[:, 2]].view(-1, 1, 1)
        cx = (MARGIN + span * POSITIONS[f[:, 3]]).view(-1, 1, 1)
        cy = (MARGIN + span * POSITIONS[f[:, 4]]).view(-1, 1, 1)
        dx, dy = (px - cx) / radius, (py - cy) / radius
        u = dx * torch.cos(theta) + dy * torch.sin(theta)
        v = -dx * torch.sin(theta) + dy * torch.cos(theta)
        inside = torch.zeros_like(u, dtype=torch.bool)
        for shape in range(len(SHAPES)):
            rows = f[:, 0] == shape
            inside[rows] = _inside(shape, u[rows], v[rows])
        images[start : start + chunk, 0] = inside.to(torch.uint8) * 255
    return images


def load_dsprites(n: int, seed: int, data_dir: str | None = None) -> tuple[torch.Tensor, torch.Tensor, str]:
    """(images uint8 [n, 1, 64, 64], factor class indices [n, 5], source) of a seeded subset of the grid:
    from the real npz in data_dir when present, else generated."""
    factors = factor_grid_indices(n, seed)
    npz = Path(data_dir) / NPZ_NAME if data_dir else None
    if npz is not None and npz.is_file():
        with np.load(npz) as archive:
            classes = torch.from_numpy(archive["latents_classes"][:, 1:].astype(np.int64))
            order = _grid_order(classes)
            images = torch.from_numpy(archive["imgs"][order[_flat(factors)].numpy()]).unsqueeze(1) * 255
        return images.to(torch.uint8), factors, str(npz)
    return render(factors), factors, "generated (prunebench.data.dsprites)"


def _flat(factors: torch.Tensor) -> torch.Tensor:
    flat = torch.zeros(len(factors), dtype=torch.long)
    for i, size in enumerate(FACTOR_SIZES):
        flat = flat * size + factors[:, i]
    return flat


def _grid_order(classes: torch.Tensor) -> torch.Tensor:
    """Row of the npz holding each flat grid index (the npz is stored in grid order; this does not assume it)."""
    order = torch.empty(len(classes), dtype=torch.long)
    order[_flat(classes)] = torch.arange(len(classes))
    return order
