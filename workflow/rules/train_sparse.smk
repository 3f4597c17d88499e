# Stage 3': training-time pruning (variants whose method has family `during_training`: gradual magnitude / random,
# variational dropout, L0 gates). One training from the dense model's initialization with the method acting inside
# the loop; the plain model and its final masks are what the study measures (common.smk: pruned_model), evaluated in
# the same job (evaluate.smk's record), so the job's start-up is paid once.
# Optional study keys: `sweep` (the strength at each sweep point of a method whose sparsity is an outcome) and
# `per_variant: {<variant>: {train: {...}}}` (training overrides, e.g. 1.5x the epochs for extended magnitude pruning).
# With `sweep_seed`, the sweep lists candidates: sweep_candidate trains each once on that seed (not an evaluated one)
# and sweep_choice gives each sweep point the candidate whose achieved sparsity is nearest its label.
rule sweep_candidate:
    input:
        data=f"{DATA}.pt",
    output:
        metrics=f"{SWEEP}/candidate{{index}}.json",
    log:
        f"{LOGS}/{{study}}/sweep/{{dataset}}/{{model}}/{{variant}}/candidate{{index}}.log",
    wildcard_constraints:
        index=r"\d+",
    conda:
        ENV
    threads: job_threads
    params:
        model=model_params,
        seed=lambda wildcards: study_cfg(wildcards.study)["sweep_seed"],
        train=sparse_train_params,
        prune=lambda wildcards: prune_params(
            wildcards,
            sweep_point_params(
                variant_cfg(wildcards), study_cfg(wildcards.study)["sweep"][wildcards.variant], int(wildcards.index)
            ),
        ),
    script:
        "../scripts/sweep_candidate.py"


rule sweep_choice:
    input:
        candidates=lambda wildcards: [
            f"{SWEEP}/candidate{i}.json".format(**wildcards)
            for i in range(candidate_count(study_cfg(wildcards.study), wildcards.variant))
        ],
    output:
        choice=f"{SWEEP}/choice.json",
        table=f"{SWEEP}/choice.csv",
    log:
        f"{LOGS}/{{study}}/sweep/{{dataset}}/{{model}}/{{variant}}/choice.log",
    localrule: True
    conda:
        ENV
    params:
        targets=lambda wildcards: [float(t) for t in model_targets(wildcards.study, wildcards.model)],
    script:
        "../scripts/sweep_choice.py"


ruleorder: train_sparse > evaluate


rule train_sparse:
    input:
        unpack(sweep_choice_input),
        data=f"{DATA}.pt",
    output:
        model=f"{PRUNED}/trained.pt",
        masks=f"{PRUNED}/trained_masks.pt",
        history=f"{PRUNED}/trained_history.csv",
        metrics=f"{PRUNED}/training.json",
        timing=f"{PRUNED}/training_time.csv",
        evaluation=f"{PRUNED}/evaluation.json",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/train_sparse.log",
    wildcard_constraints:
        study=TRAINED_SPARSE_STUDY,
        variant=TRAINED_SPARSE_VARIANT,
    conda:
        ENV
    threads: job_threads
    resources:
        runtime=120,
    params:
        model=model_params,
        train=sparse_train_params,
        prune=lambda wildcards: prune_params(
            wildcards, variant_params_at(study_cfg(wildcards.study), wildcards.variant, wildcards.target)
        ),
    script:
        "../scripts/train_sparse.py"
