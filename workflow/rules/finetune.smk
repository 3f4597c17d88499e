# Stage 4: fine-tune a pruned model (masked, or slimmed for channel pruning) with its masks held, or recomputed on the
# variant's schedule (studies with a `finetune` section); the final masks go on to evaluation.


rule finetune:
    input:
        unpack(pruned_start),
        data=f"{DATA}.pt",
    output:
        model=f"{PRUNED}/finetuned.pt",
        masks=f"{PRUNED}/finetuned_masks.pt",
        history=f"{PRUNED}/finetune_history.csv",
        snapshots=f"{PRUNED}/finetune_weights.pt",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/finetune.log",
    conda:
        ENV
    threads: job_threads
    resources:
        runtime=120,
    params:
        finetune=finetune_params,
        prune=prune_params,
    script:
        "../scripts/finetune.py"
