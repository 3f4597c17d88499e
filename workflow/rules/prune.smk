# Stage 3: masks of one pruning variant at one sparsity, computed from the dense model.


rule prune:
    input:
        model=base_model,
    output:
        masks=f"{PRUNED}/masks.pt",
        stats=f"{PRUNED}/masks.json",
    params:
        prune=prune_params,
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/{{variant}}/sparsity{{sparsity}}/prune.log",
    script:
        "../scripts/prune.py"
