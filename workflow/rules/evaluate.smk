# Stage 5: metrics of each pruned model (loss, accuracy, every cost measure) and forward latency.


rule evaluate:
    input:
        unpack(pruned_model),
        data=f"{DATA}.pt",
    output:
        metrics=f"{PRUNED}/evaluation.json",
    params:
        trained_on=last_training_params,
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/{{variant}}/sparsity{{sparsity}}/evaluate.log",
    script:
        "../scripts/evaluate.py"


# Timings must not share the machine: the job claims every core given to Snakemake (and a whole node on Slurm).
rule forward_latency:
    input:
        model=base_model,
        masks=lambda wildcards: paths(f"{PRUNED}/masks.pt", pruned_runs_of_run(wildcards)),
    output:
        timings=f"{RESULTS}/{RUN}/forward_latency.csv",
    params:
        latency=lambda wildcards: study_cfg(wildcards.study)["latency"],
        pruned=lambda wildcards: [[r["variant"], float(r["sparsity"])] for r in pruned_runs_of_run(wildcards)],
    threads: workflow.cores
    resources:
        slurm_extra="'--exclusive'",
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/forward_latency.log",
    script:
        "../scripts/forward_latency.py"
