# Study 001 (latent_kl): AP2 / AP3 against the performance difference, under results/latent_kl/.
# Shared stages it uses: prepare_data -> train_dense -> prune (last layer; lowest / highest / random x sparsity)
# -> finetune (track: test, train; snapshots of the last layer after every epoch). Its own: per-run divergences
# (PD against the dense model measured on the fine-tuning's images), tables, figures and claims.

KL = f"{RESULTS}/latent_kl"


rule kl_divergences:
    input:
        data=f"{DATA}.pt",
        model=lambda wildcards: f"{DENSE}/model.pt".format(**kl_run(wildcards)),
        histories=lambda wildcards: paths(f"{PRUNED}/finetune_history.csv", pruned_runs_of_run(wildcards, "latent_kl")),
        snapshots=lambda wildcards: paths(f"{PRUNED}/finetune_weights.pt", pruned_runs_of_run(wildcards, "latent_kl")),
        finetuned=lambda wildcards: paths(f"{PRUNED}/finetuned.pt", pruned_runs_of_run(wildcards, "latent_kl")),  # failed?
    output:
        table=f"{KL}/runs/{{dataset}}/{{model}}/seed{{seed}}/kl_divergences.csv",
        record=f"{KL}/runs/{{dataset}}/{{model}}/seed{{seed}}/kl_divergences.json",
    log:
        f"{LOGS}/latent_kl/runs/{{dataset}}/{{model}}/seed{{seed}}/kl_divergences.log",
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=2048,
    params:
        pruned=lambda wildcards: [
            [r["variant"], float(r["target"])] for r in pruned_runs_of_run(wildcards, "latent_kl")
        ],
        finetune=kl_finetune_params,
        divergence=lambda wildcards: study_cfg("latent_kl")["divergence"],
    script:
        "../../../scripts/latent_kl/divergences.py"


rule kl_tables:
    input:
        runs=lambda wildcards: paths(
            f"{KL}/runs/{{dataset}}/{{model}}/seed{{seed}}/kl_divergences.csv", runs_of("latent_kl")
        ),
    output:
        rank=[
            artifact("latent_kl", "B1", "csv"),
            artifact("latent_kl", "B1", "md"),
        ],
        summary=[
            artifact("latent_kl", "B2", "csv"),
            artifact("latent_kl", "B2", "md"),
        ],
    log:
        f"{LOGS}/latent_kl/tables.log",
    conda:
        ENV
    params:
        runs=lambda wildcards: runs_of("latent_kl"),
        models=lambda wildcards: study_cfg("latent_kl")["models"],
    script:
        "../../../scripts/latent_kl/tables.py"


rule kl_figures:
    input:
        summary=artifact_path("latent_kl", "B2", "csv"),
    output:
        ap2_test=artifact("latent_kl", "F2", "png"),
        ap2_test_pdf=artifact("latent_kl", "F2", "pdf"),
        ap2_train=artifact("latent_kl", "F7", "png"),
        ap2_train_pdf=artifact("latent_kl", "F7", "pdf"),
        t_test=artifact("latent_kl", "F4", "png"),
        t_test_pdf=artifact("latent_kl", "F4", "pdf"),
        t_train=artifact("latent_kl", "F12", "png"),
        t_train_pdf=artifact("latent_kl", "F12", "pdf"),
        g_test=artifact("latent_kl", "F11", "test.png"),
        g_test_pdf=artifact("latent_kl", "F11", "test.pdf"),
        g_train=artifact("latent_kl", "F11", "train.png"),
        g_train_pdf=artifact("latent_kl", "F11", "train.pdf"),
        ap2_vs_ap3=artifact("latent_kl", "F17", "png"),
        ap2_vs_ap3_pdf=artifact("latent_kl", "F17", "pdf"),
    log:
        f"{LOGS}/latent_kl/figures_{{dataset}}-{{model}}.log",
    conda:
        ENV
    script:
        "../../../scripts/latent_kl/figures.py"


rule kl_claims:
    input:
        rank=artifact_path("latent_kl", "B1", "csv"),
        summary=artifact_path("latent_kl", "B2", "csv"),
        histories=lambda wildcards: paths(f"{DENSE}/history.csv", runs_of("latent_kl")),
    output:
        artifact("latent_kl", "claims", "csv"),
        artifact("latent_kl", "claims", "md"),
    log:
        f"{LOGS}/latent_kl/claims.log",
    conda:
        ENV
    params:
        history_groups=lambda wildcards: [f"{r['dataset']}/{r['model']}" for r in runs_of("latent_kl")],
        seeds=lambda wildcards: study_cfg("latent_kl")["seeds"],
    script:
        "../../../scripts/latent_kl/claims.py"


register_study(
    "latent_kl",
    lambda: [rules.kl_tables, rules.kl_figures, rules.kl_claims],
    lambda: [{"dataset": dataset, "model": model} for dataset, model in kl_dataset_models()],
)
