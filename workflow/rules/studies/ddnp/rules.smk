# Study 002 (DDNP channel pruning): its table and claims under results/ddnp/.
# Stages it uses: prepare_data -> train_dense -> prune (channel methods at a FLOPs budget: uniform, L1) -> slim ->
# finetune (the slimmed network) -> evaluate. A search stage (DDNP, DP) slots in where prune is: it writes the
# variant's masks.pt, and slim, finetune and evaluate follow unchanged.

DDNP = f"{RESULTS}/ddnp"
DDNP_CAPTIONS = "../../../report/ddnp"
DDNP_CATEGORY = "002 DDNP channel pruning"


rule ddnp_comparison_table:
    input:
        dense=lambda wildcards: paths(f"{DENSE}/metrics.json", ddnp_pruned_runs()),
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", ddnp_pruned_runs()),
        slimmings=lambda wildcards: paths(f"{PRUNED}/slimmed.json", ddnp_pruned_runs()),
        reported=DDNP_REPORTED,
    output:
        table=report(multiext(f"{DDNP}/002-T1_comparison", ".csv", ".md"), caption=f"{DDNP_CAPTIONS}/T1.rst", category=DDNP_CATEGORY),
        runs=f"{DDNP}/runs/pruned_runs.csv",
    params:
        runs=lambda wildcards: ddnp_pruned_runs(),
    conda:
        ENV
    log:
        f"{LOGS}/ddnp/T1.log",
    script:
        "../../../scripts/ddnp/comparison_table.py"


rule ddnp_claims:
    input:
        table=f"{DDNP}/002-T1_comparison.csv",
    output:
        report(multiext(f"{DDNP}/002-claims", ".csv", ".md"), caption=f"{DDNP_CAPTIONS}/claims.rst", category=DDNP_CATEGORY),
    conda:
        ENV
    log:
        f"{LOGS}/ddnp/claims.log",
    script:
        "../../../scripts/ddnp/claims.py"


register_study("ddnp", lambda: [rules.ddnp_comparison_table, rules.ddnp_claims])
