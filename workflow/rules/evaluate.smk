# Stage 4: metrics of each pruned model (loss, accuracy, every cost measure) and forward latency.


rule evaluate:
    input:
        data=DATA + ".pt",
        model=DENSE + "/model.pt",
        masks=PRUNED + "/masks.pt",
    output:
        metrics=PRUNED + "/evaluation.json",
    log:
        LOGS + "/" + RUN + "/{variant}/sparsity{sparsity}/evaluate.log",
    script:
        "../scripts/evaluate.py"


def latency_runs(wildcards):
    """The pruned variants of one dense run, in a fixed order shared by the inputs and the params."""
    return [
        r
        for r in pruned_runs_of(wildcards.study)
        if r["dataset"] == wildcards.dataset and r["model"] == wildcards.model and r["seed"] == int(wildcards.seed)
    ]


# Timings must not share the machine: the job claims every core given to Snakemake (and a whole node on Slurm).
rule forward_latency:
    input:
        model=DENSE + "/model.pt",
        masks=lambda wildcards: paths(PRUNED + "/masks.pt", latency_runs(wildcards)),
    output:
        timings=RESULTS + "/" + RUN + "/forward_latency.csv",
    params:
        latency=lambda wildcards: study_cfg(wildcards.study)["latency"],
        pruned=lambda wildcards: [[r["variant"], float(r["sparsity"])] for r in latency_runs(wildcards)],
    threads: workflow.cores
    resources:
        slurm_extra="'--exclusive'",
    log:
        LOGS + "/" + RUN + "/forward_latency.log",
    script:
        "../scripts/forward_latency.py"
