# Stage 1: read a dataset from its source, carve the validation split, keep it as in-memory tensors.


rule prepare_data:
    output:
        data=DATA + ".pt",
        info=DATA + ".json",
    params:
        data=data_params,
    log:
        LOGS + "/data/{dataset}.log",
    script:
        "../scripts/prepare_data.py"
