# Stage 1: read a dataset from its source, carve the validation split, keep it as in-memory tensors.


rule prepare_data:
    output:
        data=f"{DATA}.pt",
        info=f"{DATA}.json",
    params:
        data=data_params,
    conda:
        ENV
    log:
        f"{LOGS}/data/{{dataset}}.log",
    script:
        "../scripts/prepare_data.py"
