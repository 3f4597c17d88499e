# Stage 3': training-time pruning (variants whose method has family `during_training`: gradual magnitude / random,
# variational dropout, L0 gates). One training from the dense model's initialization with the method acting inside
# the loop; the plain model and its final masks go on to evaluation (common.smk: pruned_model).
# Optional study keys: `sweep` (the strength at each sweep point of a method whose sparsity is an outcome) and
# `per_variant: {<variant>: {train: {...}}}` (training overrides, e.g. 1.5x the epochs for extended magnitude pruning).
from prunebench.pruning.during_training.sweep import variant_params_at


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
        train=lambda wildcards: {
            **train_params(wildcards),
            **study_cfg(wildcards.study).get("per_variant", {}).get(wildcards.variant, {}).get("train", {}),
        },
        prune=lambda wildcards: {
            **prune_params(wildcards),
            "params": variant_params_at(study_cfg(wildcards.study), wildcards.variant, wildcards.sparsity),
        },
    threads: job_threads
    resources:
        runtime=120,
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/{{variant}}/sparsity{{sparsity}}/train_sparse.log",
    script:
        "../scripts/train_sparse.py"
