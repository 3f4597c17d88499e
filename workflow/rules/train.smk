# Stage 2: train the dense model once per (study, dataset, model, seed); every pruning variant shares it.


rule train_dense:
    input:
        data=f"{DATA}.pt",
    output:
        model=f"{DENSE}/model.pt",
        history=f"{DENSE}/history.csv",
        metrics=f"{DENSE}/metrics.json",
    log:
        f"{LOGS}/{RUN}/dense.log",
    conda:
        ENV
    threads: job_threads
    resources:
        runtime=120,
    params:
        model=model_params,
        train=train_params,
    script:
        "../scripts/train_dense.py"
