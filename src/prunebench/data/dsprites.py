"""dSprites (Matthey et al. 2017) as registered datasets, generated in code with their ground-truth factors.

Binary images of a square, an ellipse or a heart; the factors (shape, scale, orientation, pos_x, pos_y) take every
combination of their values once. The label is the shape.

- `dsprites`: the real design, 64x64 images, 3 shapes x 6 scales x 40 orientations x 32 x 32 positions (737,280
  images); the real `dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz` is read instead when it lies in data_dir.
- `dsprites_small`: a laptop design, 32x32 images, 3 shapes x 6 scales x 24 x 24 positions, no rotation (10,368
  images; the orientation is not a factor of it).

A fixed seeded fifth of the combinations is the test set (the loader's train/test split); validation and subsets are
carved as for any dataset (`prunebench.data.prepare`). `prepared_factors` gives the factors of exactly the images of
a prepared dataset: the split selects by index only, so preparing the factor table with the same parameters selects
the same rows.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from prunebench.data.prepared import PreparedData
from prunebench.data.raw import DATASETS, RawDataset
from prunebench.data.split import prepare

FACTOR_NAMES = ("shape", "scale", "orientation", "pos_x", "pos_y")
SHAPES = ("square", "ellipse", "heart")
NPZ_NAME = "dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz"
TEST_FRACTION = 0.2
SPLIT_SEED = 0  # the loader's fixed train/test split of the combinations
SPLITS = ("train", "val", "test")
EXTENT = 1.2  # the farthest point of any shape, in radii, at any orientation (margin between centres and border)


@dataclass(frozen=True)
class Design:
    image_size: int  # pixels per side
    radius: float  # pixels, at scale 1 (scales run from 0.5 to 1)
    scales: int
    orientations: int  # over [0, 2 pi); 1: no rotation
    positions: int  # per axis

    @property
    def factor_sizes(self) -> tuple[int, ...]:
        return (len(SHAPES), self.scales, self.orientations, self.positions, self.positions)

    @property
    def factors(self) -> tuple[str, ...]:
        """The names of the factors that vary (a factor with one value is not one)."""
        return tuple(name for name, size in zip(FACTOR_NAMES, self.factor_sizes) if size > 1)


DESIGNS = {
    "dsprites": Design(image_size=64, radius=10.0, scales=6, orientations=40, positions=32),
    "dsprites_small": Design(image_size=32, radius=7.0, scales=6, orientations=1, positions=24),
}
REAL = DESIGNS["dsprites"]


def factor_grid(design: Design) -> torch.Tensor:
    """Every combination of factor class indices [n, 5], in grid order (the last factor fastest)."""
    return torch.cartesian_prod(*(torch.arange(s) for s in design.factor_sizes)).view(-1, len(FACTOR_NAMES))


def _inside(shape: int, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Whether sprite-frame coordinates (unit radius) lie inside the shape."""
    if shape == 0:
        return (u.abs() <= 0.8) & (v.abs() <= 0.8)
    if shape == 1:
        return (u / 1.0) ** 2 + (v / 0.5) ** 2 <= 1.0
    x, y = u / 0.9, -v / 0.9 + 0.1  # heart: (x^2 + y^2 - 1)^3 - x^2 y^3 <= 0, point up in image coordinates
    return (x**2 + y**2 - 1) ** 3 - x**2 * y**3 <= 0


def render(factors: torch.Tensor, design: Design = REAL, chunk: int = 8192) -> torch.Tensor:
    """uint8 images [n, 1, size, size] (0 or 255) of factor class indices [n, 5]; each sprite is evaluated on the
    window around its centre that holds it, not on the whole image."""
    size, margin = design.image_size, EXTENT * design.radius
    scales = torch.linspace(0.5, 1.0, design.scales)
    orientations = torch.linspace(0, 2 * math.pi, design.orientations + 1)[:-1]
    positions = margin + (size - 2 * margin) * torch.linspace(0, 1, design.positions)
    window = min(size, 2 * math.ceil(margin) + 2)
    offsets = torch.arange(window)
    images = torch.zeros((len(factors), size, size), dtype=torch.uint8)
    for start in range(0, len(factors), chunk):
        f = factors[start : start + chunk]
        radius = (design.radius * scales[f[:, 1]]).view(-1, 1, 1)
        theta = orientations[f[:, 2]].view(-1, 1, 1)
        cx, cy = positions[f[:, 3]], positions[f[:, 4]]
        x0 = (cx - window / 2).round().long().clamp(0, size - window)
        y0 = (cy - window / 2).round().long().clamp(0, size - window)
        px = (x0.view(-1, 1, 1) + offsets.view(1, 1, -1)).float() + 0.5
        py = (y0.view(-1, 1, 1) + offsets.view(1, -1, 1)).float() + 0.5
        dx, dy = (px - cx.view(-1, 1, 1)) / radius, (py - cy.view(-1, 1, 1)) / radius
        u = dx * torch.cos(theta) + dy * torch.sin(theta)
        v = -dx * torch.sin(theta) + dy * torch.cos(theta)
        inside = torch.zeros(u.shape, dtype=torch.bool)
        for shape in range(len(SHAPES)):
            rows = f[:, 0] == shape
            inside[rows] = _inside(shape, u[rows], v[rows])
        n = torch.arange(len(f)).view(-1, 1, 1) + start
        images[n, y0.view(-1, 1, 1) + offsets.view(1, -1, 1), x0.view(-1, 1, 1) + offsets.view(1, 1, -1)] = (
            inside.to(torch.uint8) * 255
        )
    return images.unsqueeze(1)


def _flat(factors: torch.Tensor, sizes) -> torch.Tensor:
    flat = torch.zeros(len(factors), dtype=torch.long)
    for i, size in enumerate(sizes):
        flat = flat * size + factors[:, i]
    return flat


def _read_npz(npz: Path, factors: torch.Tensor) -> torch.Tensor:
    """The real images of the given factor combinations (the npz rows are looked up, not assumed in grid order)."""
    with np.load(npz) as archive:
        classes = torch.from_numpy(archive["latents_classes"][:, 1:].astype(np.int64))
        row = torch.empty(len(classes), dtype=torch.long)
        row[_flat(classes, REAL.factor_sizes)] = torch.arange(len(classes))
        images = torch.from_numpy(archive["imgs"][row[_flat(factors, REAL.factor_sizes)].numpy()])
    return (images.unsqueeze(1) * 255).to(torch.uint8)


def split_factors(design: Design) -> tuple[torch.Tensor, torch.Tensor]:
    """(train, test) factor class indices [n, 5] of a design: every combination once, a seeded fifth of them test."""
    grid = factor_grid(design)
    order = torch.randperm(len(grid), generator=torch.Generator().manual_seed(SPLIT_SEED))
    n_test = round(len(grid) * TEST_FRACTION)
    return grid[order[n_test:]], grid[order[:n_test]]


def load_dsprites(name: str, data_dir: str | None = None, download: bool = False) -> RawDataset:
    """A registered design's images (the npz's where it is the real design and data_dir holds it), shape labels."""
    design = DESIGNS[name]
    train, test = split_factors(design)
    npz = Path(data_dir) / NPZ_NAME if data_dir and design == REAL else None
    if npz is not None and npz.is_file():
        images, source = _read_npz(npz, torch.cat([train, test])), str(npz)
    else:
        images, source = render(torch.cat([train, test]), design), f"generated (prunebench.data.dsprites, {name})"
    return RawDataset(
        images[: len(train)], train[:, 0].clone(), images[len(train) :], test[:, 0].clone(), list(SHAPES), source
    )


for _name in DESIGNS:
    DATASETS.register(_name)(functools.partial(load_dsprites, _name))


def prepared_factors(
    data: PreparedData,
    name: str,
    val_size: int,
    seed: int,
    train_subset: int | None = None,
    test_subset: int | None = None,
) -> dict:
    """{"names": the factors that vary, "train" / "val" / "test": their class indices [n, k]} of each image of `data`,
    the dataset `name` prepared with these parameters. The split selects by index only, so preparing the factor
    table with the same parameters selects the same rows; labels that are not the shape factor raise ValueError."""
    design = DESIGNS[name]
    train, test = split_factors(design)
    keep = [FACTOR_NAMES.index(f) for f in design.factors]
    table = RawDataset(train[:, keep], train[:, 0].clone(), test[:, keep], test[:, 0].clone(), list(SHAPES), "factors")
    prepared = prepare(table, val_size, seed, train_subset, test_subset)
    for split in SPLITS:
        if not torch.equal(getattr(prepared, f"{split}_y"), getattr(data, f"{split}_y")):
            raise ValueError(
                f"the {split} labels of the data are not the shapes of {name} prepared with these parameters"
            )
    return {"names": list(design.factors), **{split: getattr(prepared, f"{split}_x") for split in SPLITS}}
