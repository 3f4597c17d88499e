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
