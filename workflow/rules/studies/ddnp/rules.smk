# Study 002 (DDNP channel pruning): its table, figures and claims under results/ddnp/.
# Stages it uses: prepare_data -> train_dense -> prune (one-shot channel criteria at a FLOPs budget: uniform, L1) or
# search (DDNP, DP: search.smk) -> slim -> finetune (the slimmed network) -> evaluate. The search ablations of 002-F4
# (`search_ablations`) stop after the search.

DDNP = f"{RESULTS}/ddnp"


rule ddnp_comparison_table:
    input:
        dense=lambda wildcards: paths(f"{DENSE}/metrics.json", ddnp_pruned_runs()),
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", ddnp_pruned_runs()),
        slimmings=lambda wildcards: paths(f"{PRUNED}/slimmed.json", ddnp_pruned_runs()),
        reported=DDNP_REPORTED,
    output:
        table=[
            artifact("ddnp", "T1", "csv"),
            artifact("ddnp", "T1", "md"),
        ],
        runs=f"{DDNP}/runs/pruned_runs.csv",
    log:
        f"{LOGS}/ddnp/T1.log",
    conda:
        ENV
    params:
        artifact="002-T1",
        runs=lambda wildcards: ddnp_pruned_runs(),
    script:
        "../../../scripts/ddnp/comparison_table.py"


rule ddnp_soft_mask_figure:
    output:
        png=artifact("ddnp", "F2", "png"),
        pdf=artifact("ddnp", "F2", "pdf"),
    log:
        f"{LOGS}/ddnp/F2.log",
    conda:
        ENV
    script:
        "../../../scripts/ddnp/soft_mask_figure.py"


rule ddnp_layer_widths:
    input:
        records=lambda wildcards: paths(f"{PRUNED}/search.json", ddnp_searches()),
    output:
        png=artifact("ddnp", "F3", "png"),
        pdf=artifact("ddnp", "F3", "pdf"),
        csv=artifact("ddnp", "F3", "csv"),
    log:
        f"{LOGS}/ddnp/F3.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: ddnp_searches(),
    script:
        "../../../scripts/ddnp/layer_widths.py"


rule ddnp_search_accuracy:
    input:
        histories=lambda wildcards: paths(f"{PRUNED}/search_history.csv", ddnp_searches()),
    output:
        png=artifact("ddnp", "F4", "png"),
        pdf=artifact("ddnp", "F4", "pdf"),
        csv=artifact("ddnp", "F4", "csv"),
    log:
        f"{LOGS}/ddnp/F4.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: ddnp_searches(),
    script:
        "../../../scripts/ddnp/search_accuracy.py"


rule ddnp_claims:
    input:
        unpack(ddnp_claims_inputs),
        histories=lambda wildcards: paths(f"{DENSE}/history.csv", runs_of("ddnp")),
    output:
        artifact("ddnp", "claims", "csv"),
        artifact("ddnp", "claims", "md"),
    log:
        f"{LOGS}/ddnp/claims.log",
    conda:
        ENV
    params:
        history_groups=lambda wildcards: [f"{r['dataset']}/{r['model']}" for r in runs_of("ddnp")],
        seeds=lambda wildcards: study_cfg("ddnp")["seeds"],
    script:
        "../../../scripts/ddnp/claims.py"


register_study(
    "ddnp",
    lambda: [rules.ddnp_comparison_table, rules.ddnp_soft_mask_figure, rules.ddnp_claims]
    + ([rules.ddnp_layer_widths, rules.ddnp_search_accuracy] if ddnp_searches() else []),
)
