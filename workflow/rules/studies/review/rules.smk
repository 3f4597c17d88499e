# Study 003 (review of pruning), part 1: the State of Sparsity comparison, under results/review/.
# Shared stages it uses: prepare_data -> train_dense (the dense reference) and train_sparse (each technique x sweep
# point x seed, from the same initialization) -> evaluate. Its own: the run tables, 003-F3..F5, B1, B2 and claims.

RV = f"{RESULTS}/review"
RV_CAPTIONS = "../../../report/review"
RV_CATEGORY = "003 review of pruning"


rule rv_tables:
    input:
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", rv_sos_runs()),
        trainings=lambda wildcards: paths(f"{PRUNED}/training.json", rv_sos_runs()),
        timings=lambda wildcards: paths(f"{PRUNED}/training_time.csv", rv_sos_runs()),
        dense=lambda wildcards: paths(f"{DENSE}/metrics.json", runs_of("review")),
    output:
        runs=f"{RV}/runs/sparsity_runs.csv",
        dense=f"{RV}/runs/dense_runs.csv",
        cost=report(multiext(f"{RV}/003-B1_training_cost", ".csv", ".md"), caption=f"{RV_CAPTIONS}/B1.rst", category=RV_CATEGORY),
    params:
        runs=lambda wildcards: rv_sos_runs(),
        dense=lambda wildcards: runs_of("review"),
    conda:
        ENV
    log:
        f"{LOGS}/review/tables.log",
    script:
        "../../../scripts/review/tables.py"


rule rv_figures:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        dense=f"{RV}/runs/dense_runs.csv",
    output:
        f3=report(f"{RV}/003-F3_accuracy_sparsity.png", caption=f"{RV_CAPTIONS}/F3.rst", category=RV_CATEGORY),
        f3_pdf=f"{RV}/003-F3_accuracy_sparsity.pdf",
        f4=report(f"{RV}/003-F4_accuracy_sparsity.png", caption=f"{RV_CAPTIONS}/F4.rst", category=RV_CATEGORY),
        f4_pdf=f"{RV}/003-F4_accuracy_sparsity.pdf",
        f5=report(f"{RV}/003-F5_extended_magnitude.png", caption=f"{RV_CAPTIONS}/F5.rst", category=RV_CATEGORY),
        f5_pdf=f"{RV}/003-F5_extended_magnitude.pdf",
    params:
        figures=lambda wildcards: rv_figure_models(),
    conda:
        ENV
    log:
        f"{LOGS}/review/F3_F5.log",
    script:
        "../../../scripts/review/figures.py"


rule rv_published:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        dense=f"{RV}/runs/dense_runs.csv",
        published=RV_PUBLISHED,
    output:
        table=report(multiext(f"{RV}/003-B2_published", ".csv", ".md"), caption=f"{RV_CAPTIONS}/B2.rst", category=RV_CATEGORY),
        png=report(f"{RV}/003-B2_published.png", caption=f"{RV_CAPTIONS}/B2.rst", category=RV_CATEGORY),
        pdf=f"{RV}/003-B2_published.pdf",
    params:
        figures=lambda wildcards: rv_figure_models(),
    conda:
        ENV
    log:
        f"{LOGS}/review/B2.log",
    script:
        "../../../scripts/review/published.py"


rule rv_claims:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        published=RV_PUBLISHED,
    output:
        report(multiext(f"{RV}/003-claims", ".csv", ".md"), caption=f"{RV_CAPTIONS}/claims.rst", category=RV_CATEGORY),
    params:
        figures=lambda wildcards: rv_figure_models(),
    conda:
        ENV
    log:
        f"{LOGS}/review/claims.log",
    script:
        "../../../scripts/review/claims.py"


register_study("review", lambda: [rules.rv_tables, rules.rv_figures, rules.rv_published, rules.rv_claims])
