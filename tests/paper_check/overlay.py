"""The paper check's overlay: configs/paper.yaml's sizes shrunk, found by key name wherever they occur, so that every
job runs in seconds on CPU while the config's models, methods, schedules and options stay the paper's."""

from __future__ import annotations

from pathlib import Path

import yaml

# Scalars capped at these values (a smaller value, and null, is kept).
CAPS = {
    "train_subset": 32,
    "test_subset": 16,
    "val_size": 8,
    "prune_size": 16,
    "batch_size": 8,
    "population": 2,
    "control_population": 2,
    "levels": 2,
    "grid": 4,
    "samples": 2000,
    "repeats": 3,
    "warmup": 1,
    "threads": 1,
    "frequency": 1,
    "mask_update_steps": 1,  # pruning schedules in steps: a run is a few steps long
    "input_size": 64,
    "size": 64,
    "resize": 72,  # images resized inside a model / by the ImageNet loader
}
EPOCHS_SUFFIX = "epochs"  # epochs, kl_warmup_epochs, ...: capped at 1 (0, a pretrained model's, stays 0)
# Lists cut to their first items, keeping those a scalar key of the same study names after the list (004's
# histogram_sparsity is one of its sparsities): one seed and one sparsity (each multiplies the jobs; the claims' tests
# across seeds take their too-few-seeds path here, the smoke config's two seeds take the other), two of the others
# (a comparison of two betas, learning rates or sweep candidates stays computable).
LISTS = {"seeds": 1, "sparsities": 1, "betas": 2, "learning_rates": 2}
SWEEP_KEY = "sweep"  # the sweeps' candidate lists (named after each method's parameter)
SWEEP_KEEP = 2


def scalars(value, key: str = "") -> set[tuple[str, float]]:
    """(key, number) of a mapping's scalar entries, at any depth (list items excluded)."""
    if isinstance(value, dict):
        return set().union(*(scalars(v, k) for k, v in value.items()))
    return {(key, value)} if isinstance(value, (int, float)) and not isinstance(value, bool) else set()


def singular(key: str) -> str:
    return key[:-3] + "y" if key.endswith("ies") else key.removesuffix("s")


def shrunk(value, key: str, named: frozenset = frozenset(), in_sweep: bool = False):
    """The overlay entry for `value` at `key`, or None where the paper's value is kept; `named`: the (key, number)
    scalars of the enclosing study."""
    if isinstance(value, dict):
        entries = {k: shrunk(v, k, named, in_sweep or key == SWEEP_KEY) for k, v in value.items()}
        entries = {k: v for k, v in entries.items() if v is not None}
        return entries or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, list):
        if key not in LISTS and not in_sweep:
            return None
        kept = {number for name, number in named if name.endswith(singular(key))}
        keep = LISTS.get(key, SWEEP_KEEP)
        cut = value[:keep] + [item for item in value[keep:] if item in kept]
        return cut if len(cut) < len(value) else None
    if isinstance(value, (int, float)):
        cap = 1 if key.endswith(EPOCHS_SUFFIX) else CAPS.get(key)
        return cap if cap is not None and value > cap else None
    return None


def overlay(paper: dict, data_dir: Path, imagenet_dir: Path) -> dict:
    """The overlay for `paper` (configs/paper.yaml's mapping): its sizes shrunk, the data read from `data_dir`."""
    result = {"datasets": shrunk(paper["datasets"], "datasets") or {}}
    studies = {name: shrunk(study, name, frozenset(scalars(study))) for name, study in paper["studies"].items()}
    result["studies"] = {name: study for name, study in studies.items() if study is not None}
    result["data"] = {"data_dir": str(data_dir)}
    result["datasets"].setdefault("imagenet", {})["data_dir"] = str(imagenet_dir)
    return result


def write_overlay(paper_config: Path, path: Path, data_dir: Path, imagenet_dir: Path) -> Path:
    paper = yaml.safe_load(paper_config.read_text())
    path.write_text(yaml.safe_dump(overlay(paper, data_dir, imagenet_dir), sort_keys=False))
    return path
