# Stage 2: train the dense model once per (study, dataset, model, seed); every pruning variant shares it.


rule train_dense:
    input:
        data=DATA + ".pt",
    output:
        model=DENSE + "/model.pt",
        history=DENSE + "/history.csv",
        metrics=DENSE + "/metrics.json",
    params:
        model=model_params,
        train=train_params,
    threads: 2
    resources:
        runtime=120,
    log:
        LOGS + "/" + RUN + "/dense.log",
    script:
        "../scripts/train_dense.py"
