# Study 001 (latent_kl): AP2 / AP3 against the performance difference, under results/latent_kl/.
# Shared stages it uses: prepare_data -> train_dense -> prune (last layer; lowest / highest / random x sparsity)
# -> finetune (track: test, train; snapshots of the last layer after every epoch). Its own: per-run divergences
# (PD against the dense model measured on the fine-tuning's images), tables, figures and claims.

KL = f"{RESULTS}/latent_kl"
KL_CAPTIONS = "../../../report/latent_kl"
KL_CATEGORY = "001 Pruning through a probabilistic latent space (AP2, AP3)"


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
            [r["variant"], float(r["sparsity"])] for r in pruned_runs_of_run(wildcards, "latent_kl")
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
            report(
                f"{KL}/001-B1_rank_correlation.csv",
                caption=f"{KL_CAPTIONS}/B1.rst",
                category=KL_CATEGORY,
                subcategory="001-B1 rank correlation of divergence and PD",
                labels={"type": "table (CSV)"},
            ),
            f"{KL}/001-B1_rank_correlation.md",
        ],
        summary=[
            report(
                f"{KL}/001-B2_divergence_pd.csv",
                caption=f"{KL_CAPTIONS}/B2.rst",
                category=KL_CATEGORY,
                subcategory="001-B2 every divergence and PD",
                labels={"type": "table (CSV)"},
            ),
            f"{KL}/001-B2_divergence_pd.md",
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
        summary=f"{KL}/001-B2_divergence_pd.csv",
    output:
        ap2_test=report(
            f"{KL}/001-F2_ap2_pd_test_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F2.rst",
            category=KL_CATEGORY,
            subcategory="001-F2 AP2 and PD on the test set",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}"},
        ),
        ap2_test_pdf=f"{KL}/001-F2_ap2_pd_test_{{dataset}}-{{model}}.pdf",
        ap2_train=report(
            f"{KL}/001-F7_ap2_pd_train_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F7.rst",
            category=KL_CATEGORY,
            subcategory="001-F7 AP2 and PD on the training set",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}"},
        ),
        ap2_train_pdf=f"{KL}/001-F7_ap2_pd_train_{{dataset}}-{{model}}.pdf",
        t_test=report(
            f"{KL}/001-F4_ap3_student_t_pd_test_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F4.rst",
            category=KL_CATEGORY,
            subcategory="001-F4 AP3 (Student-T) and PD on the test set",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}"},
        ),
        t_test_pdf=f"{KL}/001-F4_ap3_student_t_pd_test_{{dataset}}-{{model}}.pdf",
        t_train=report(
            f"{KL}/001-F12_ap3_student_t_pd_train_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F12.rst",
            category=KL_CATEGORY,
            subcategory="001-F12 AP3 (Student-T) and PD on the training set",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}"},
        ),
        t_train_pdf=f"{KL}/001-F12_ap3_student_t_pd_train_{{dataset}}-{{model}}.pdf",
        g_test=report(
            f"{KL}/001-F11_ap3_gaussian_pd_test_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F11.rst",
            category=KL_CATEGORY,
            subcategory="001-F11 AP3 (Gaussian, AR(1) covariance) and PD",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}", "PD on": "test"},
        ),
        g_test_pdf=f"{KL}/001-F11_ap3_gaussian_pd_test_{{dataset}}-{{model}}.pdf",
        g_train=report(
            f"{KL}/001-F11_ap3_gaussian_pd_train_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F11.rst",
            category=KL_CATEGORY,
            subcategory="001-F11 AP3 (Gaussian, AR(1) covariance) and PD",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}", "PD on": "train"},
        ),
        g_train_pdf=f"{KL}/001-F11_ap3_gaussian_pd_train_{{dataset}}-{{model}}.pdf",
        ap2_vs_ap3=report(
            f"{KL}/001-F17_ap2_vs_ap3_{{dataset}}-{{model}}.png",
            caption=f"{KL_CAPTIONS}/F17.rst",
            category=KL_CATEGORY,
            subcategory="001-F17 AP3 against AP2",
            labels={"type": "figure (PNG)", "dataset": "{dataset}", "model": "{model}"},
        ),
        ap2_vs_ap3_pdf=f"{KL}/001-F17_ap2_vs_ap3_{{dataset}}-{{model}}.pdf",
    log:
        f"{LOGS}/latent_kl/figures_{{dataset}}-{{model}}.log",
    conda:
        ENV
    script:
        "../../../scripts/latent_kl/figures.py"


rule kl_claims:
    input:
        rank=f"{KL}/001-B1_rank_correlation.csv",
        summary=f"{KL}/001-B2_divergence_pd.csv",
        histories=lambda wildcards: paths(f"{DENSE}/history.csv", runs_of("latent_kl")),
    output:
        report(
            f"{KL}/001-claims.csv",
            caption=f"{KL_CAPTIONS}/claims.rst",
            category=KL_CATEGORY,
            subcategory="001 claims",
            labels={"type": "table (CSV)"},
        ),
        f"{KL}/001-claims.md",
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
