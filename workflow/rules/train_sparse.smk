# Stage 3': training-time pruning (variants whose method has family `during_training`: gradual magnitude / random,
# variational dropout, L0 gates). One training from the dense model's initialization with the method acting inside
# the loop; the plain model and its final masks go on to evaluation (common.smk: pruned_model).
# Optional study keys: `sweep` (the strength of each sweep point of a method whose sparsity is an outcome) and
# `per_variant: {<variant>: {train: {...}}}` (training overrides, e.g. 1.5x the epochs for extended magnitude pruning).
from prunebench.config import ConfigError
from prunebench.pruning.during_training.sweep import sweep_errors, sweep_point_params


def during_training_studies():
    return [
        study
        for study, cfg in config["studies"].items()
        if any(PRUNING_METHODS[v["method"]].family == "during_training" for v in cfg.get("prune", {}).get("variants", {}).values())
    ]


if errors := [e for study in during_training_studies() for e in sweep_errors(study, study_cfg(study))]:
    raise ConfigError("invalid configuration:\n  " + "\n  ".join(errors))


def sparse_prune_params(wildcards):
    """The variant (method, layers, scope) with its parameters at this sweep point."""
    sparsities = [sparsity_label(s) for s in study_cfg(wildcards.study)["prune"]["sparsities"]]
    sweep = study_cfg(wildcards.study).get("sweep", {}).get(wildcards.variant, {})
    return {**prune_params(wildcards), "params": sweep_point_params(variant_cfg(wildcards), sweep, sparsities.index(wildcards.sparsity))}


def sparse_train_params(wildcards):
    return {**train_params(wildcards), **study_cfg(wildcards.study).get("per_variant", {}).get(wildcards.variant, {}).get("train", {})}


rule train_sparse:
    input:
        data=f"{DATA}.pt",
    output:
        model=f"{PRUNED}/trained.pt",
        masks=f"{PRUNED}/trained_masks.pt",
        history=f"{PRUNED}/trained_history.csv",
        metrics=f"{PRUNED}/training.json",
        timing=f"{PRUNED}/training_time.csv",
    params:
        model=model_params,
        train=sparse_train_params,
        prune=sparse_prune_params,
    threads: job_threads
    resources:
        runtime=120,
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/{{variant}}/sparsity{{sparsity}}/train_sparse.log",
    script:
        "../scripts/train_sparse.py"
