# Shared helpers of every rule: config validation, path patterns, per-wildcard parameters, study targets.
import os
import sys
from pathlib import Path

SRC = str(Path(workflow.basedir) / "src")
sys.path.insert(0, SRC)
# Rule scripts run in fresh interpreters (and on cluster nodes): they find the library the same way.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, os.environ.get("PYTHONPATH")) if p)

from prunebench.config import check_data_sources, validate_config

validate_config(config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml")

RESULTS = config["results"]
LOGS = config["logs"]

DATA = RESULTS + "/data/{dataset}"
check_data_sources(config, lambda dataset: Path(DATA.format(dataset=dataset) + ".pt").exists())
RUN = "{study}/runs/{dataset}/{model}/seed{seed}"
DENSE = RESULTS + "/" + RUN + "/dense"
PRUNED = RESULTS + "/" + RUN + "/{variant}/sparsity{sparsity}"


wildcard_constraints:
    study=r"[A-Za-z0-9_]+",
    dataset=r"[A-Za-z0-9_]+",
    model=r"[A-Za-z0-9_]+",
    variant=r"[A-Za-z0-9_]+",
    seed=r"\d+",
    sparsity=r"[0-9.]+",


def study_cfg(study):
    return config["studies"][study]


def sparsity_label(sparsity):
    """The `sparsity` wildcard: 0.25 -> '0.25', 0 -> '0'."""
    return f"{float(sparsity):g}"


def data_params(wildcards):
    return {**config["data"], **config["datasets"][wildcards.dataset], "name": wildcards.dataset}


def model_params(wildcards):
    return study_cfg(wildcards.study)["models"][wildcards.model]


def train_params(wildcards):
    return study_cfg(wildcards.study)["train"]


def prune_params(wildcards):
    prune = study_cfg(wildcards.study)["prune"]
    variant = prune["variants"][wildcards.variant]
    return {"layers": prune["layers"], "scope": variant.get("scope", "local"), "method": variant["method"]}


def runs_of(study):
    """Every (dataset, model, seed) a study trains, as wildcard dicts."""
    cfg = study_cfg(study)
    return [
        {"study": study, "dataset": cfg["dataset"], "model": model, "seed": seed}
        for model in cfg["models"]
        for seed in cfg["seeds"]
    ]


def pruned_runs_of(study, sparsities=None):
    """Every (run, variant, sparsity) of a study, as wildcard dicts."""
    prune = study_cfg(study)["prune"]
    return [
        {**run, "variant": variant, "sparsity": sparsity_label(s)}
        for run in runs_of(study)
        for variant in prune["variants"]
        for s in (sparsities if sparsities is not None else prune["sparsities"])
    ]


def paths(pattern, runs):
    return [pattern.format(**run) for run in runs]


STUDY_ARTIFACTS = {}


def all_study_artifacts():
    return [path for study in config["studies"] for path in STUDY_ARTIFACTS[study]]
