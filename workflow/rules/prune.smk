# Stage 3: masks of one pruning variant at one sparsity, computed from the dense model (and training data, for
# criteria that need it).


rule prune:
    input:
        unpack(prune_inputs),
    output:
        masks=f"{PRUNED}/masks.pt",
        stats=f"{PRUNED}/masks.json",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/prune.log",
    wildcard_constraints:
        variant=NOT_SEARCHED_VARIANT,  # structured-search variants: search.smk
    conda:
        ENV
    params:
        prune=prune_params,
    script:
        "../scripts/prune.py"


# Stages 3 and 5 in one job where nothing comes between them (a criterion's masks on the trained model, in a study
# that neither fine-tunes nor slims): the pruned model is evaluated (evaluate.smk) where it is made, so the job's
# start-up (the interpreter, torch, the prepared data) is paid once. Its outputs are those of the two stages.
ruleorder: prune_evaluate > prune
ruleorder: prune_evaluate > evaluate


rule prune_evaluate:
    input:
        model=base_model,
        data=f"{DATA}.pt",
    output:
        masks=f"{PRUNED}/masks.pt",
        stats=f"{PRUNED}/masks.json",
        metrics=f"{PRUNED}/evaluation.json",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/prune_evaluate.log",
    wildcard_constraints:
        study=EVALUATED_AT_PRUNING_STUDY,
        variant=EVALUATED_AT_PRUNING_VARIANT,
    conda:
        ENV
    params:
        prune=prune_params,
        trained_on=last_training_params,
    script:
        "../scripts/prune_evaluate.py"
