"""The paper check's overlay (tests/paper_check/): it only shrinks configs/paper.yaml, and the shrunk config plans
every rule of the workflow. The check itself (`make paper-check`) runs that DAG; this dry-runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from paper_check.overlay import overlay, shrunk, write_overlay

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "configs" / "paper.yaml"


def leaves(mapping: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in mapping.items():
        if isinstance(value, dict):
            out.update(leaves(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_the_overlay_only_shrinks_keys_the_paper_config_has(tmp_path):
    paper = yaml.safe_load(PAPER.read_text())
    changed = leaves(overlay(paper, tmp_path, tmp_path / "imagenet"))
    original = leaves(paper)
    assert changed.pop("data.data_dir") == str(tmp_path)
    assert changed.pop("datasets.imagenet.data_dir") == str(tmp_path / "imagenet")
    for key, value in changed.items():
        assert key in original, key
        if isinstance(value, list):
            assert set(value) < set(original[key]), key
        else:
            assert value < original[key], key
    assert changed["studies.ddnp.train.epochs"] == 1 and "studies.ddnp_imagenet.train.epochs" not in changed


def test_lists_keep_the_items_a_key_of_their_study_names():
    study = {"histogram_sparsity": 0.9, "prune": {"sparsities": [0, 0.25, 0.5, 0.9]}, "betas": [1, 3, 5]}
    assert shrunk(study, "weight_vs_unit", frozenset({("histogram_sparsity", 0.9), ("lr", 0.5)})) == {
        "prune": {"sparsities": [0, 0.9]},
        "betas": [1, 3],
    }


def test_the_shrunk_paper_config_plans_every_rule(tmp_path):
    """Dry run with stand-ins for what the check writes: an ImageNet folder and the weights files (only their presence
    is checked when the DAG is built)."""
    for split in ("train", "val"):
        (tmp_path / "data" / "imagenet" / split).mkdir(parents=True)
    paper = yaml.safe_load(PAPER.read_text())
    for study in paper["studies"].values():
        for spec in (study.get("models") or {}).values():
            if spec and spec.get("weights"):
                weights = Path(spec["weights"].replace("~", str(tmp_path / "home"), 1))
                weights.parent.mkdir(parents=True, exist_ok=True)
                weights.touch()
    overlay_file = write_overlay(PAPER, tmp_path / "overlay.yaml", tmp_path / "data", tmp_path / "data" / "imagenet")
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "-n",
        "--quiet",
        "rules",
        "--configfile",
        str(PAPER),
        str(overlay_file),
        "--config",
        f"results={tmp_path}/results",
        f"logs={tmp_path}/logs",
    ]
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    planned = set(re.findall(r"^(\w+)\s+\d+$", done.stdout + done.stderr, re.MULTILINE)) - {"total"}
    listed = subprocess.run(
        [*command[:3], "--list-rules", *command[6:]], cwd=ROOT, env=env, capture_output=True, text=True
    )
    # Every rule but the one-study targets (`snakemake <study>`), which `all` does not use.
    assert set(listed.stdout.split()) - planned == set(paper["studies"])
