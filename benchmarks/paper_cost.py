"""The paper config's GPU cost: per study, its jobs (Snakemake's dry run, ImageNet's study included) and the FLOPs of
its training, turned into GPU-hours at an assumed throughput.

Training FLOPs of a job: 3 x the model's forward FLOPs per image (forward + backward, the usual 1 + 2) x the images
per epoch x the epochs of the job's phase (its study's `train`, `finetune`, `headless`, `search` or the tickets'
`train`, with the per_model / per_variant overrides); the forward FLOPs are torch's FlopCounterMode on one image of
the dataset (prunebench.metrics.cost.forward_flops, dense: a masked weight costs as much as a kept one). Not counted:
evaluation passes, pruning, the search's validation and Scratch-B's extra epochs (seconds to minutes next to training).
An upper bound where a slimmed network is fine-tuned (002): it is counted at the dense network's FLOPs.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import tempfile
from pathlib import Path

import yaml

from benchmarks.common import Result, paper_dry_run_command
from prunebench.metrics.cost import forward_flops
from prunebench.models import build_model
from prunebench.studies.manifest import load_manifest
from prunebench.studies.review.tickets import ticket_model
from prunebench.studies.weight_vs_unit.protocols import protocol_models

ROOT = Path(__file__).resolve().parents[1]
PAPER = ROOT / "configs" / "paper.yaml"
# Assumed sustained throughput of one GPU: an A100's 156 TFLOP/s TF32 tensor-core peak at 30% utilization (small
# CIFAR-size batches rarely do better). Replace it with a measured one once the paper's models are timed on the GPU.
ASSUMED_TFLOPS = 0.3 * 156
# The datasets' training images, input shapes and classes as published.
DATASETS = {
    "mnist": (60_000, (1, 28, 28), 10),
    "cifar10": (50_000, (3, 32, 32), 10),
    "cifar100": (50_000, (3, 32, 32), 100),
    "dsprites": (737_280 * 4 // 5, (1, 64, 64), 3),  # prunebench.data.dsprites: a fifth of the combinations is test
    "imagenet": (1_281_167, (3, 224, 224), 1000),
}
# rule -> the phase whose epochs one of its jobs trains ("tickets": the tickets' train section).
PHASES = {
    "train_dense": "train",
    "train_sparse": "train",
    "sweep_candidate": "train",
    "rv_scratch_retrain": "train",
    "rv_dense_initialization": None,
    "finetune": "finetune",
    "dis_headless": "headless",
    "search": "search",
    "rv_ticket_dense": "tickets",
    "rv_ticket_level": "tickets",
    "rv_ticket_retrain": "tickets",
}
JOB = re.compile(r"^(?:local)?rule (\w+):$", re.MULTILINE)
WILDCARDS = re.compile(r"^    wildcards: (.*)$", re.MULTILINE)
# The study of a job without a `study` wildcard, by its rule's prefix (workflow/studies.yaml: each study's `prefix`),
# the longest first (ddnp_imagenet_ before ddnp_).
PREFIXES = dict(
    sorted(
        ((f"{study.prefix}_", key) for key, study in load_manifest(ROOT / "workflow/studies.yaml").items()),
        key=lambda item: -len(item[0]),
    )
)


def dry_run(config: dict) -> list[tuple[str, dict]]:
    """(rule, wildcards) of every job of the paper config, with stand-ins for ImageNet and its weights files."""
    with tempfile.TemporaryDirectory() as tmp:
        home, imagenet = Path(tmp, "home"), Path(tmp, "imagenet")
        for split in ("train", "val"):
            (imagenet / split).mkdir(parents=True)
        for study in config["studies"].values():
            for spec in (study.get("models") or {}).values():
                if spec and spec.get("weights"):
                    path = Path(spec["weights"].replace("~", str(home), 1))
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.touch()
        command = paper_dry_run_command(tmp, f"datasets={{'imagenet': {{'data_dir': '{imagenet}'}}}}")
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, "HOME": str(home)}, capture_output=True, text=True)
    done.check_returncode()
    parts = JOB.split(done.stdout)[1:]
    jobs = []
    for rule, block in zip(parts[::2], parts[1::2], strict=True):
        found = WILDCARDS.search(block.split("\n\n", 1)[0])
        jobs.append((rule, dict(item.split("=", 1) for item in found.group(1).split(", ")) if found else {}))
    return jobs


def study_of(rule: str, wildcards: dict) -> str:
    """A job's study; "shared": data preparation, the catalog, the claims page, `all`."""
    prefix = next((p for p in PREFIXES if rule.startswith(p)), None)
    return wildcards.get("study") or PREFIXES.get(prefix, "shared")


def merged_paper_config() -> dict:
    from snakemake.utils import update_config

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    update_config(config, yaml.safe_load(PAPER.read_text()))
    return config


def study_models(name: str, cfg: dict) -> tuple[dict, dict]:
    """(models, per_model) of a study as the workflow names them (000's from its betas, 004's protocols added)."""
    if name == "disentangle":
        models = {"cnn_classif": {"arch": "cnn_classif"}} if cfg["baseline"] else {}
        for beta in cfg["betas"]:
            models[f"beta_vae_b{float(beta):g}".replace(".", "p")] = {"arch": "beta_vae_classif", "beta": beta}
        return models, {}
    models = {m: spec for m, spec in cfg.get("models", {}).items() if spec is not None}
    if name == "weight_vs_unit":
        return protocol_models(*next(iter(models.items())), cfg.get("protocols", {}).get("changes", []))
    return models, cfg.get("per_model", {})


@functools.cache
def flops_per_image(spec: tuple, dataset: str) -> float:
    _, shape, classes = DATASETS[dataset]
    return float(forward_flops(build_model(input_shape=shape, num_classes=classes, **dict(spec)), shape))


def frozen(spec: dict) -> tuple:
    """A hashable spec without `weights` (pretrained weights do not change the FLOPs, and are not here)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in spec.items() if k != "weights"))


def training_flops(config: dict, rule: str, wildcards: dict) -> float:
    phase = PHASES.get(rule)
    if phase is None:
        return 0.0
    dataset = wildcards["dataset"]
    if phase == "tickets":
        cfg = config["studies"]["review"]
        spec, settings = ticket_model(cfg["tickets"]), cfg["tickets"]["train"]
    else:
        name = wildcards["study"]
        cfg = config["studies"][name]
        models, per_model = study_models(name, cfg)
        spec = models[wildcards["model"]]
        settings = {**cfg[phase], **per_model.get(wildcards["model"], {}).get(phase, {})}
        if phase == "train" and "variant" in wildcards:
            settings |= cfg.get("per_variant", {}).get(wildcards["variant"], {}).get("train", {})
    if phase == "search":
        images = settings["prune_size"]
    else:
        entry = config["datasets"][dataset]
        images = settings.get("train_subset") or entry.get("train_subset") or DATASETS[dataset][0] - entry["val_size"]
    return 3 * flops_per_image(frozen(spec), dataset) * images * settings["epochs"]


def run() -> list[Result]:
    config = merged_paper_config()
    jobs, flops = {}, {}
    for rule, wildcards in dry_run(config):
        study = study_of(rule, wildcards)
        jobs[study] = jobs.get(study, 0) + 1
        flops[study] = flops.get(study, 0.0) + training_flops(config, rule, wildcards)
    rate, hours = ASSUMED_TFLOPS * 1e12 * 3600, f"GPU-hours at {ASSUMED_TFLOPS:g} TFLOP/s (assumed)"
    results = []
    for study in sorted(jobs):
        results += [
            Result("paper_cost", f"{study}: jobs", jobs[study], "jobs"),
            Result("paper_cost", f"{study}: training FLOPs", flops[study] / 1e18, "EFLOP"),
            Result("paper_cost", f"{study}: {hours}", flops[study] / rate, "h"),
        ]
    total = sum(flops.values())
    results += [
        Result("paper_cost", "paper config: jobs (ImageNet's study included)", sum(jobs.values()), "jobs"),
        Result("paper_cost", "paper config: training FLOPs", total / 1e18, "EFLOP"),
        Result("paper_cost", f"paper config: {hours}", total / rate, "h"),
    ]
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
