# Study 003, part 1: the State of Sparsity comparison. Shared stages: prepare_data -> train_dense (the dense reference)
# and train_sparse (each technique x sweep point x seed, from the same initialization) -> evaluate. Its own: the run
# tables, 003-F3..F5, B1, B2 and claims.


rule rv_tables:
    input:
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", rv_sos_runs()),
        trainings=lambda wildcards: paths(f"{PRUNED}/training.json", rv_sos_runs()),
        timings=lambda wildcards: paths(f"{PRUNED}/training_time.csv", rv_sos_runs()),
        dense=lambda wildcards: paths(f"{DENSE}/metrics.json", runs_of("review")),
    output:
        runs=f"{RV}/runs/sparsity_runs.csv",
        dense=f"{RV}/runs/dense_runs.csv",
        cost=[
            artifact("review", "B1", "csv"),
            artifact("review", "B1", "md"),
        ],
    log:
        f"{LOGS}/review/tables.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: rv_sos_runs(),
        dense=lambda wildcards: runs_of("review"),
    script:
        "../../../scripts/review/tables.py"


rule rv_figures:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        dense=f"{RV}/runs/dense_runs.csv",
    output:
        f3=artifact("review", "F3", "png"),
        f3_pdf=artifact("review", "F3", "pdf"),
        f4=artifact("review", "F4", "png"),
        f4_pdf=artifact("review", "F4", "pdf"),
        f5=artifact("review", "F5", "png"),
        f5_pdf=artifact("review", "F5", "pdf"),
    log:
        f"{LOGS}/review/F3_F5.log",
    conda:
        ENV
    params:
        figures=lambda wildcards: rv_figure_models(),
    script:
        "../../../scripts/review/figures.py"


rule rv_published:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        dense=f"{RV}/runs/dense_runs.csv",
        published=RV_PUBLISHED,
    output:
        table=[
            artifact("review", "B2", "csv"),
            artifact("review", "B2", "md"),
        ],
        png=artifact("review", "B2", "png"),
        pdf=artifact("review", "B2", "pdf"),
    log:
        f"{LOGS}/review/B2.log",
    conda:
        ENV
    params:
        figures=lambda wildcards: rv_figure_models(),
    script:
        "../../../scripts/review/published.py"


rule rv_claims:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        published=RV_PUBLISHED,
        tickets=f"{RV}/runs/ticket_runs.csv",
        scratch=f"{RV}/runs/scratch_runs.csv",
        pie_counts=artifact_path("review", "F7", "counts.csv"),
        dense_histories=lambda wildcards: paths(f"{DENSE}/history.csv", runs_of("review")),
        ticket_histories=lambda wildcards: paths(f"{RV_TICKETS}/dense/history.csv", rv_dense_ticket_runs()),
        pie_histories=lambda wildcards: paths(f"{DENSE}/history.csv", rv_pie_runs() + rv_pie_runs(control=True)),
    output:
        artifact("review", "claims", "csv"),
        artifact("review", "claims", "md"),
    log:
        f"{LOGS}/review/claims.log",
    conda:
        ENV
    params:
        figures=lambda wildcards: rv_figure_models(),
        dense_models=lambda wildcards: [run["model"] for run in runs_of("review")],
        scratch_model=lambda wildcards: rv_part2("scratch")["model"],
        ticket_lrs=lambda wildcards: [run["lr"] for run in rv_dense_ticket_runs()],
    script:
        "../../../scripts/review/claims.py"
