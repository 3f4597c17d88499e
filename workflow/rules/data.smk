# Stage 1: read a dataset from its source, carve the validation split, keep it as in-memory tensors.


rule prepare_data:
    output:
        data=f"{DATA}.pt",
        info=f"{DATA}.json",
    log:
        f"{LOGS}/data/{{dataset}}.log",
    conda:
        ENV
    params:
        data=data_params,
    script:
        "../scripts/prepare_data.py"
