# Study 000 (disentanglement and pruning): its own stages, tables, figures and claims, under results/disentangle/.
# Stages, per dataset (dSprites too): prepare_data -> train_dense (with the reconstruction head) -> dis_headless (head
# removed, trained on; also evaluates the unpruned model) -> prune (the configured variant) -> finetune -> evaluate.
# On a dataset with ground-truth factors (dSprites): dis_factors (the factors of the prepared images) -> dis_mig (the
# untrained encoder, after the first phase, after head removal) and dis_mig_pruned (after pruning and fine-tuning)
# per Beta-VAE-Classif run -> dis_mig_results (000-B1). Then dis_table (000-T1), dis_claims.


rule dis_headless:
    input:
        data=f"{DATA}.pt",
        model=f"{DENSE}/model.pt",
    output:
        model=f"{HEADLESS}/model.pt",
        history=f"{HEADLESS}/history.csv",
        evaluation=f"{HEADLESS}/evaluation.json",
    log:
        f"{LOGS}/{RUN}/headless.log",
    conda:
        ENV
    threads: job_threads
    resources:
        runtime=120,
    params:
        train=lambda wildcards: study_cfg(wildcards.study)["headless"],
        keep_kl=lambda wildcards: study_cfg(wildcards.study)["headless_kl"],
    script:
        "../../../scripts/disentangle/headless.py"


rule dis_table:
    input:
        with_head=lambda wildcards: paths(f"{DENSE}/metrics.json", dis_runs()),
        unpruned=lambda wildcards: paths(f"{HEADLESS}/evaluation.json", dis_runs()),
        pruned=lambda wildcards: paths(f"{PRUNED}/evaluation.json", dis_pruned_runs()),
        data_info=lambda wildcards: paths(f"{DATA}.json", dis_runs()),
    output:
        table=[
            artifact("disentangle", "T1", "csv"),
            artifact("disentangle", "T1", "md"),
            artifact("disentangle", "T1", "tex"),
        ],
    log:
        f"{LOGS}/disentangle/T1.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: dis_runs(),
    script:
        "../../../scripts/disentangle/table.py"


rule dis_architecture:
    input:
        model=lambda wildcards: f"{DENSE}/model.pt".format(**dis_first_beta_run()),
    output:
        png=artifact("disentangle", "F1", "png"),
        pdf=artifact("disentangle", "F1", "pdf"),
    log:
        f"{LOGS}/disentangle/F1.log",
    conda:
        ENV
    script:
        "../../../scripts/disentangle/architecture.py"


rule dis_factors:
    input:
        data=f"{DATA}.pt",
    output:
        factors=FACTORS,
    log:
        f"{LOGS}/data/{{dataset}}.factors.log",
    wildcard_constraints:
        dataset="|".join(FACTOR_DATASETS),
    conda:
        ENV
    params:
        data=data_params,
    script:
        "../../../scripts/disentangle/factors.py"


rule dis_mig:
    input:
        unpack(dis_mig_inputs),
    output:
        metrics=MIG_POINT,
    log:
        f"{LOGS}/{RUN}/{{point}}/mig.log",
    wildcard_constraints:
        point="untrained|dense|headless",
        dataset="|".join(FACTOR_DATASETS),
    conda:
        ENV
    params:
        model=model_params,
        bins=lambda wildcards: dis_cfg()["mig"]["bins"],
    script:
        "../../../scripts/disentangle/mig.py"


rule dis_mig_pruned:
    input:
        unpack(pruned_model),
        data=f"{DATA}.pt",
        factors=FACTORS,
    output:
        metrics=MIG_PRUNED,
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/mig.log",
    wildcard_constraints:
        dataset="|".join(FACTOR_DATASETS),
    conda:
        ENV
    params:
        model=model_params,
        bins=lambda wildcards: dis_cfg()["mig"]["bins"],
    script:
        "../../../scripts/disentangle/mig.py"


rule dis_mig_results:
    input:
        mig_untrained=lambda wildcards: dis_mig_paths("untrained"),
        mig_with_head=lambda wildcards: dis_mig_paths("dense"),
        mig_headless=lambda wildcards: dis_mig_paths("headless"),
        mig_pruned=lambda wildcards: dis_mig_paths("pruned"),
        accuracy_with_head=lambda wildcards: paths(f"{DENSE}/metrics.json", dis_mig_runs()),
        accuracy_headless=lambda wildcards: paths(f"{HEADLESS}/evaluation.json", dis_mig_runs()),
        accuracy_pruned=lambda wildcards: paths(f"{PRUNED}/evaluation.json", dis_mig_runs()),
    output:
        table=[
            artifact("disentangle", "B1", "csv"),
            artifact("disentangle", "B1", "md"),
        ],
        png=artifact("disentangle", "B1", "png"),
        pdf=artifact("disentangle", "B1", "pdf"),
    log:
        f"{LOGS}/disentangle/B1.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: dis_mig_runs(),
    script:
        "../../../scripts/disentangle/mig_results.py"


rule dis_claims:
    input:
        unpack(dis_claims_inputs),
        histories=lambda wildcards: paths(f"{DENSE}/history.csv", runs_of("disentangle")),
    output:
        artifact("disentangle", "claims", "csv"),
        artifact("disentangle", "claims", "md"),
    log:
        f"{LOGS}/disentangle/claims.log",
    conda:
        ENV
    params:
        history_groups=lambda wildcards: [f"{r['dataset']}/{r['model']}" for r in runs_of("disentangle")],
        seeds=lambda wildcards: study_cfg("disentangle")["seeds"],
    script:
        "../../../scripts/disentangle/claims.py"


register_study(
    "disentangle",
    # 000-B1 needs a dataset with ground-truth factors (dSprites)
    lambda: [
        rules.dis_table,
        rules.dis_architecture,
        rules.dis_claims,
        *([rules.dis_mig_results] if dis_has_factors() else []),
    ],
)
