# Study 004 (weight vs unit pruning): its tables, figures and claims, under results/weight_vs_unit/.
# Stages it uses: prepare_data -> train_dense -> prune (variants weight/unit x k) -> evaluate; its own: forward latency
# (dense, sparse and shrunk execution of the pruned MLP), tables, figures and claims. The changed protocols of 004-B3
# are models of the study (common.smk) and go through the same stages.

WVU = f"{RESULTS}/weight_vs_unit"


# Timings must not share the machine: the job claims every core given to Snakemake (and a whole node on Slurm).
rule wvu_forward_latency:
    input:
        model=lambda wildcards: f"{DENSE}/model.pt".format(study="weight_vs_unit", **wildcards),
        masks=lambda wildcards: paths(f"{PRUNED}/masks.pt", pruned_runs_of_run(wildcards, "weight_vs_unit")),
    output:
        timings=f"{WVU}/runs/{{dataset}}/{{model}}/seed{{seed}}/forward_latency.csv",
    log:
        f"{LOGS}/weight_vs_unit/runs/{{dataset}}/{{model}}/seed{{seed}}/forward_latency.log",
    conda:
        ENV
    threads: workflow.cores
    params:
        latency=lambda wildcards: wvu_cfg()["latency"],
        pruned=lambda wildcards: [
            [r["variant"], float(r["target"])] for r in pruned_runs_of_run(wildcards, "weight_vs_unit")
        ],
    script:
        "../../../scripts/weight_vs_unit/forward_latency.py"


rule wvu_tables:
    input:
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", wvu_pruned_runs()),
        models=lambda wildcards: paths(f"{DENSE}/model.pt", wvu_pruned_runs()),
        masks=lambda wildcards: paths(f"{PRUNED}/masks.pt", wvu_pruned_runs()),
        latency=lambda wildcards: rules.wvu_forward_latency.output.timings.format(**wvu_first_run()),
    output:
        loss_accuracy=[
            artifact("weight_vs_unit", "T1", "csv"),
            artifact("weight_vs_unit", "T1", "md"),
        ],
        ks=[
            artifact("weight_vs_unit", "B1", "csv"),
            artifact("weight_vs_unit", "B1", "md"),
        ],
        forward_time=[
            artifact("weight_vs_unit", "B2", "csv"),
            artifact("weight_vs_unit", "B2", "md"),
        ],
    log:
        f"{LOGS}/weight_vs_unit/tables.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: wvu_pruned_runs(),
    script:
        "../../../scripts/weight_vs_unit/tables.py"


rule wvu_training_curves:
    input:
        histories=lambda wildcards: paths(f"{DENSE}/history.csv", wvu_runs()),
    output:
        png=artifact("weight_vs_unit", "F1", "png"),
        pdf=artifact("weight_vs_unit", "F1", "pdf"),
    log:
        f"{LOGS}/weight_vs_unit/F1.log",
    conda:
        ENV
    params:
        seeds=lambda wildcards: [r["seed"] for r in wvu_runs()],
    script:
        "../../../scripts/weight_vs_unit/training_curves.py"


rule wvu_metrics_against_k:
    input:
        table=artifact_path("weight_vs_unit", "T1", "csv"),
    output:
        weight_png=artifact("weight_vs_unit", "F2", "png"),
        weight_pdf=artifact("weight_vs_unit", "F2", "pdf"),
        unit_png=artifact("weight_vs_unit", "F3", "png"),
        unit_pdf=artifact("weight_vs_unit", "F3", "pdf"),
    log:
        f"{LOGS}/weight_vs_unit/F2_F3.log",
    conda:
        ENV
    script:
        "../../../scripts/weight_vs_unit/metrics_against_k.py"


rule wvu_magnitude_histograms:
    input:
        model=lambda wildcards: f"{DENSE}/model.pt".format(**wvu_first_run()),
        masks=lambda wildcards: paths(f"{PRUNED}/masks.pt", wvu_histogram_runs()),
    output:
        png=artifact("weight_vs_unit", "F4", "png"),
        pdf=artifact("weight_vs_unit", "F4", "pdf"),
    log:
        f"{LOGS}/weight_vs_unit/F4.log",
    conda:
        ENV
    params:
        variants=lambda wildcards: [r["variant"] for r in wvu_histogram_runs()],
        k_percent=lambda wildcards: wvu_k_percent("histogram_sparsity"),
    script:
        "../../../scripts/weight_vs_unit/magnitude_histograms.py"


rule wvu_forward_time:
    input:
        table=artifact_path("weight_vs_unit", "B2", "csv"),
    output:
        png=artifact("weight_vs_unit", "F5", "png"),
        pdf=artifact("weight_vs_unit", "F5", "pdf"),
    log:
        f"{LOGS}/weight_vs_unit/F5.log",
    conda:
        ENV
    params:
        batch_size=lambda wildcards: wvu_cfg()["latency"]["batch_size"],
    script:
        "../../../scripts/weight_vs_unit/forward_time.py"


rule wvu_protocol_table:
    input:
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", wvu_protocol_pruned_runs()),
        dense=lambda wildcards: paths(f"{DENSE}/metrics.json", wvu_protocol_runs()),
    output:
        [
            artifact("weight_vs_unit", "B3", "csv"),
            artifact("weight_vs_unit", "B3", "md"),
        ],
    log:
        f"{LOGS}/weight_vs_unit/B3_table.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: wvu_protocol_pruned_runs(),
        dense_runs=lambda wildcards: wvu_protocol_runs(),
        settings=lambda wildcards: wvu_protocol_settings(),
    script:
        "../../../scripts/weight_vs_unit/protocol_table.py"


rule wvu_protocol_figure:
    input:
        table=artifact_path("weight_vs_unit", "B3", "csv"),
    output:
        png=artifact("weight_vs_unit", "B3", "png"),
        pdf=artifact("weight_vs_unit", "B3", "pdf"),
    log:
        f"{LOGS}/weight_vs_unit/B3_figure.log",
    conda:
        ENV
    script:
        "../../../scripts/weight_vs_unit/protocol_figure.py"


rule wvu_claims:
    input:
        loss_accuracy=artifact_path("weight_vs_unit", "T1", "csv"),
        ks=artifact_path("weight_vs_unit", "B1", "csv"),
        forward_time=artifact_path("weight_vs_unit", "B2", "csv"),
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", wvu_pruned_runs()),
        histories=lambda wildcards: paths(f"{DENSE}/history.csv", wvu_runs()),
    output:
        artifact("weight_vs_unit", "claims", "csv"),
        artifact("weight_vs_unit", "claims", "md"),
    log:
        f"{LOGS}/weight_vs_unit/claims.log",
    conda:
        ENV
    params:
        histogram_k=lambda wildcards: wvu_k_percent("histogram_sparsity"),
        runs=lambda wildcards: wvu_pruned_runs(),
    script:
        "../../../scripts/weight_vs_unit/claims.py"


register_study(
    "weight_vs_unit",
    lambda: [
        rules.wvu_tables,
        rules.wvu_training_curves,
        rules.wvu_metrics_against_k,
        rules.wvu_magnitude_histograms,
        rules.wvu_forward_time,
        *([rules.wvu_protocol_table, rules.wvu_protocol_figure] if "protocols" in wvu_cfg() else []),
        rules.wvu_claims,
    ],
)
