# Study 000 (disentanglement and pruning): its own stages, tables, figures and claims, under results/disentangle/.
# Stages: prepare_data -> train_dense (with the reconstruction head) -> dis_headless (head removed, trained on;
# also evaluates the unpruned model) -> prune (50% local lowest |w|) -> finetune (masks held) -> evaluate.
# Follow-up: dis_dsprites -> dis_mig (per beta and seed) -> dis_mig_results; then dis_table, dis_claims.

DIS_CAPTIONS = "../../../report/disentangle"
DIS_CATEGORY = "000 disentanglement"


rule dis_headless:
    input:
        data=f"{DATA}.pt",
        model=f"{DENSE}/model.pt",
    output:
        model=f"{HEADLESS}/model.pt",
        history=f"{HEADLESS}/history.csv",
        evaluation=f"{HEADLESS}/evaluation.json",
    params:
        train=lambda wildcards: study_cfg(wildcards.study)["headless"],
        keep_kl=lambda wildcards: study_cfg(wildcards.study)["headless_kl"],
    threads: 2
    resources:
        runtime=120,
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/headless.log",
    script:
        "../../../scripts/disentangle/headless.py"


rule dis_table:
    input:
        with_head=lambda wildcards: paths(f"{DENSE}/metrics.json", dis_runs()),
        unpruned=lambda wildcards: paths(f"{HEADLESS}/evaluation.json", dis_runs()),
        pruned=lambda wildcards: paths(f"{PRUNED}/evaluation.json", dis_pruned_runs()),
        data_info=lambda wildcards: paths(f"{DATA}.json", dis_runs()),
    output:
        table=multiext(f"{DIS}/000-T1_accuracy_compression", ".csv", ".md", ".tex"),
    params:
        runs=lambda wildcards: dis_runs(),
    conda:
        ENV
    log:
        f"{LOGS}/disentangle/T1.log",
    script:
        "../../../scripts/disentangle/table.py"


rule dis_architecture:
    input:
        model=lambda wildcards: f"{DENSE}/model.pt".format(**dis_first_beta_run()),
    output:
        png=report(f"{DIS}/000-F1_beta_vae_classif.png", caption=f"{DIS_CAPTIONS}/F1.rst", category=DIS_CATEGORY),
        pdf=f"{DIS}/000-F1_beta_vae_classif.pdf",
    conda:
        ENV
    log:
        f"{LOGS}/disentangle/F1.log",
    script:
        "../../../scripts/disentangle/architecture.py"


rule dis_dsprites:
    output:
        data=f"{DIS}/dsprites/data.pt",
        factors=f"{DIS}/dsprites/test_factors.pt",
        info=f"{DIS}/dsprites/data.json",
    params:
        mig=lambda wildcards: dis_cfg()["mig"],
        data_dir=config["data"]["data_dir"],
    conda:
        ENV
    log:
        f"{LOGS}/disentangle/dsprites.log",
    script:
        "../../../scripts/disentangle/dsprites.py"


rule dis_mig:
    input:
        data=f"{DIS}/dsprites/data.pt",
        factors=f"{DIS}/dsprites/test_factors.pt",
    output:
        metrics=f"{MIG_RUN}/mig.json",
    params:
        spec=dis_mig_spec,
        mig=lambda wildcards: dis_cfg()["mig"],
        keep_kl=lambda wildcards: dis_cfg()["headless_kl"],
    wildcard_constraints:
        beta=r"[0-9.]+",
    threads: 2
    resources:
        runtime=120,
    conda:
        ENV
    log:
        f"{LOGS}/disentangle/mig/beta{{beta}}/seed{{seed}}.log",
    script:
        "../../../scripts/disentangle/mig.py"


rule dis_mig_results:
    input:
        metrics=lambda wildcards: paths(f"{MIG_RUN}/mig.json", dis_mig_runs()),
    output:
        table=multiext(f"{DIS}/000-B1_mig", ".csv", ".md"),
        png=report(f"{DIS}/000-B1_mig.png", caption=f"{DIS_CAPTIONS}/B1.rst", category=DIS_CATEGORY),
        pdf=f"{DIS}/000-B1_mig.pdf",
    params:
        runs=lambda wildcards: dis_mig_runs(),
    conda:
        ENV
    log:
        f"{LOGS}/disentangle/B1.log",
    script:
        "../../../scripts/disentangle/mig_results.py"


rule dis_claims:
    input:
        table=f"{DIS}/000-T1_accuracy_compression.csv",
        mig=f"{DIS}/000-B1_mig.csv",
    output:
        multiext(f"{DIS}/000-claims", ".csv", ".md"),
    conda:
        ENV
    log:
        f"{LOGS}/disentangle/claims.log",
    script:
        "../../../scripts/disentangle/claims.py"


DIS_ARTIFACTS = [
    *multiext(f"{DIS}/000-T1_accuracy_compression", ".csv", ".md", ".tex"),
    *multiext(f"{DIS}/000-F1_beta_vae_classif", ".png", ".pdf"),
    *multiext(f"{DIS}/000-B1_mig", ".csv", ".md", ".png", ".pdf"),
    *multiext(f"{DIS}/000-claims", ".csv", ".md"),
]
if "disentangle" in config["studies"]:
    STUDY_ARTIFACTS["disentangle"] = DIS_ARTIFACTS


rule disentangle:
    input:
        DIS_ARTIFACTS if "disentangle" in config["studies"] else [],
