# Stage 5: metrics of each pruned model (loss, accuracy, every cost measure) and forward latency.


rule evaluate:
    input:
        unpack(pruned_model),
        data=f"{DATA}.pt",
    output:
        metrics=f"{PRUNED}/evaluation.json",
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/evaluate.log",
    conda:
        ENV
    params:
        trained_on=last_training_params,
    script:
        "../scripts/evaluate.py"
