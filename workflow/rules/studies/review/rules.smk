# Study 003 (review of pruning), under results/review/: part 1, the State of Sparsity comparison (sparsity.smk:
# prepare_data -> train_dense and train_sparse per technique x sweep point x seed -> evaluate; 003-F3..F5, B1, B2,
# claims); part 2, lottery tickets and scratch training (tickets.smk: 003-F2, F6) and pruning identified exemplars
# (pie.smk: 003-F7); here the procedure figure (003-F1) and the study's registration.

RV = f"{RESULTS}/review"


include: "sparsity.smk"
include: "tickets.smk"
include: "pie.smk"


rule rv_procedure:
    output:
        dot=f"{RV}/runs/rulegraph.dot",
        png=artifact("review", "F1", "png"),
        pdf=artifact("review", "F1", "pdf"),
    log:
        f"{LOGS}/review/F1.log",
    localrule: True
    conda:
        ENV
    params:
        config=lambda wildcards: dict(workflow.config_settings.overwrite_config),  # this run's config files and --config: its graph
        snakefile=workflow.main_snakefile,
        targets=["review"],
    script:
        "../../../scripts/review/procedure.py"


register_study(
    "review",
    lambda: [
        rules.rv_tables,
        rules.rv_figures,
        rules.rv_published,
        rules.rv_claims,
        rules.rv_tickets,
        rules.rv_scratch,
        rules.rv_pie,
        rules.rv_procedure,
    ],
)
