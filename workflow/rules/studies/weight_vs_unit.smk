# Study 004 (weight vs unit pruning): its tables, figures and claims, under results/weight_vs_unit/.
# Stages it uses: prepare_data -> train_dense -> prune (variants weight/unit x k) -> evaluate, forward_latency.

WVU = RESULTS + "/weight_vs_unit/"
WVU_REPORT = "../../report/weight_vs_unit/"


def wvu_first_run():
    return runs_of("weight_vs_unit")[0]


def wvu_histogram_runs():
    k = study_cfg("weight_vs_unit")["histogram_sparsity"]
    return [r for r in pruned_runs_of("weight_vs_unit", [k]) if r["seed"] == wvu_first_run()["seed"]]


rule wvu_tables:
    input:
        evaluations=lambda wildcards: paths(PRUNED + "/evaluation.json", pruned_runs_of("weight_vs_unit")),
        masks=lambda wildcards: paths(PRUNED + "/masks.json", pruned_runs_of("weight_vs_unit")),
        latency=lambda wildcards: (RESULTS + "/" + RUN + "/forward_latency.csv").format(**wvu_first_run()),
    output:
        loss_accuracy=multiext(WVU + "004-T1_loss_accuracy_vs_k", ".csv", ".md"),
        ks=multiext(WVU + "004-B1_elimination_ks", ".csv", ".md"),
        forward_time=multiext(WVU + "004-B2_forward_time", ".csv", ".md"),
    params:
        runs=lambda wildcards: pruned_runs_of("weight_vs_unit"),
    log:
        LOGS + "/weight_vs_unit/tables.log",
    script:
        "../../scripts/weight_vs_unit/tables.py"


rule wvu_training_curves:
    input:
        histories=lambda wildcards: paths(DENSE + "/history.csv", runs_of("weight_vs_unit")),
    output:
        png=report(WVU + "004-F1_training_curves.png", caption=WVU_REPORT + "F1.rst", category="004 weight vs unit"),
        pdf=WVU + "004-F1_training_curves.pdf",
    params:
        seeds=lambda wildcards: [r["seed"] for r in runs_of("weight_vs_unit")],
    log:
        LOGS + "/weight_vs_unit/F1.log",
    script:
        "../../scripts/weight_vs_unit/training_curves.py"


rule wvu_metrics_against_k:
    input:
        table=WVU + "004-T1_loss_accuracy_vs_k.csv",
    output:
        weight_png=report(WVU + "004-F2_weight_pruning.png", caption=WVU_REPORT + "F2.rst", category="004 weight vs unit"),
        weight_pdf=WVU + "004-F2_weight_pruning.pdf",
        unit_png=report(WVU + "004-F3_unit_pruning.png", caption=WVU_REPORT + "F3.rst", category="004 weight vs unit"),
        unit_pdf=WVU + "004-F3_unit_pruning.pdf",
    log:
        LOGS + "/weight_vs_unit/F2_F3.log",
    script:
        "../../scripts/weight_vs_unit/metrics_against_k.py"


rule wvu_magnitude_histograms:
    input:
        model=lambda wildcards: (DENSE + "/model.pt").format(**wvu_first_run()),
        masks=lambda wildcards: paths(PRUNED + "/masks.pt", wvu_histogram_runs()),
    output:
        png=report(WVU + "004-F4_magnitude_histograms.png", caption=WVU_REPORT + "F4.rst", category="004 weight vs unit"),
        pdf=WVU + "004-F4_magnitude_histograms.pdf",
    params:
        variants=lambda wildcards: [r["variant"] for r in wvu_histogram_runs()],
        k_percent=lambda wildcards: round(100 * study_cfg("weight_vs_unit")["histogram_sparsity"], 6),
    log:
        LOGS + "/weight_vs_unit/F4.log",
    script:
        "../../scripts/weight_vs_unit/magnitude_histograms.py"


rule wvu_forward_time:
    input:
        table=WVU + "004-B2_forward_time.csv",
    output:
        png=report(WVU + "004-F5_forward_time.png", caption=WVU_REPORT + "F5.rst", category="004 weight vs unit"),
        pdf=WVU + "004-F5_forward_time.pdf",
    params:
        batch_size=lambda wildcards: study_cfg("weight_vs_unit")["latency"]["batch_size"],
    log:
        LOGS + "/weight_vs_unit/F5.log",
    script:
        "../../scripts/weight_vs_unit/forward_time.py"


rule wvu_claims:
    input:
        loss_accuracy=WVU + "004-T1_loss_accuracy_vs_k.csv",
        ks=WVU + "004-B1_elimination_ks.csv",
        forward_time=WVU + "004-B2_forward_time.csv",
    output:
        multiext(WVU + "004-claims", ".csv", ".md"),
    params:
        histogram_k=lambda wildcards: round(100 * study_cfg("weight_vs_unit")["histogram_sparsity"], 6),
    log:
        LOGS + "/weight_vs_unit/claims.log",
    script:
        "../../scripts/weight_vs_unit/claims.py"


WVU_ARTIFACTS = [
    *multiext(WVU + "004-T1_loss_accuracy_vs_k", ".csv", ".md"),
    *multiext(WVU + "004-B1_elimination_ks", ".csv", ".md"),
    *multiext(WVU + "004-B2_forward_time", ".csv", ".md"),
    *[WVU + f"004-{name}.{ext}" for name in ("F1_training_curves", "F2_weight_pruning", "F3_unit_pruning", "F4_magnitude_histograms", "F5_forward_time") for ext in ("png", "pdf")],
    *multiext(WVU + "004-claims", ".csv", ".md"),
]
if "weight_vs_unit" in config["studies"]:
    STUDY_ARTIFACTS["weight_vs_unit"] = WVU_ARTIFACTS


rule weight_vs_unit:
    input:
        WVU_ARTIFACTS if "weight_vs_unit" in config["studies"] else [],
