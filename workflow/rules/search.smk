# Stage 3 of the structured-search family (DDNP, DP: methods of family "structured_search"): from the frozen dense
# model, gates learnt on a pruning subset of the training split and judged each epoch on the validation split (never
# the test set); the searched channels become the variant's masks.pt, which slim -> finetune -> evaluate take as
# from the prune stage. The FLOPs budget p = 1 - sparsity, as for the one-shot channel criteria.


rule search:
    input:
        model=base_model,
        data=f"{DATA}.pt",
    output:
        masks=f"{PRUNED}/masks.pt",
        history=f"{PRUNED}/search_history.csv",
        record=f"{PRUNED}/search.json",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/search.log",
    wildcard_constraints:
        variant=SEARCHED_VARIANT,
    conda:
        ENV
    threads: job_threads
    params:
        prune=prune_params,
        search=lambda wildcards: study_cfg(wildcards.study)["search"],
    script:
        "../scripts/search.py"
