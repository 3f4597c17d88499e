# Stage 3: masks of one pruning variant at one sparsity, computed from the dense model.


rule prune:
    input:
        model=DENSE + "/model.pt",
    output:
        masks=PRUNED + "/masks.pt",
        stats=PRUNED + "/masks.json",
    params:
        prune=prune_params,
    log:
        LOGS + "/" + RUN + "/{variant}/sparsity{sparsity}/prune.log",
    script:
        "../scripts/prune.py"
