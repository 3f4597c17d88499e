# Study 003 (review of pruning), part 1: the State of Sparsity comparison, under results/review/.
# Shared stages it uses: prepare_data -> train_dense (the dense reference) and train_sparse (each technique x sweep
# point x seed, from the same initialization) -> evaluate. Its own: the run tables, 003-F3..F5, B1, B2 and claims.

RV = f"{RESULTS}/review"


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


# Part 2: lottery tickets, scratch training (003-F2, F6), pruning identified exemplars (003-F7), the procedure (003-F1).
# 003-F2's chain per (learning rate, seed): rv_ticket_dense -> level 1 -> level 2 -> ... (rv_ticket_level, schedule
# `iterative`: each level prunes the previous level's trained weights, rewinds, retrains); one-shot pruning to a
# level's sparsity is the same rule reading the dense model (schedule `oneshot`); rv_ticket_control retrains a level's
# masks from a fresh initialization. 003-F6 retrains the final masks of part 1's magnitude runs (rv_retrain).


rule rv_ticket_dense:
    input:
        data=f"{DATA}.pt",
    output:
        model=f"{RV_TICKETS}/dense/model.pt",
        rewind=f"{RV_TICKETS}/dense/rewind.pt",
        metrics=f"{RV_TICKETS}/dense/metrics.json",
        history=f"{RV_TICKETS}/dense/history.csv",
    log:
        f"{LOGS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}/dense.log",
    wildcard_constraints:
        lr=r"[0-9.e-]+",
    conda:
        ENV
    threads: lambda wildcards: study_cfg("review").get("threads", 2)
    params:
        model=lambda wildcards: rv_part2("tickets")["model"],
        train=rv_ticket_params,
        rewind_step=lambda wildcards: rv_part2("tickets")["rewind_step"],
    script:
        "../../../scripts/review/ticket_dense.py"


rule rv_ticket_level:
    input:
        unpack(rv_previous_level),
        data=f"{DATA}.pt",
        rewind=f"{RV_TICKETS}/dense/rewind.pt",
    output:
        masks=f"{RV_LEVEL}/masks.pt",
        model=f"{RV_LEVEL}/model.pt",
        metrics=f"{RV_LEVEL}/metrics.json",
    log:
        f"{LOGS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}/{{schedule}}/level{{level}}.log",
    wildcard_constraints:
        lr=r"[0-9.e-]+",
        schedule="iterative|oneshot",
        level=r"\d+",
    conda:
        ENV
    threads: lambda wildcards: study_cfg("review").get("threads", 2)
    params:
        train=rv_ticket_params,
        rate=lambda wildcards: rv_part2("tickets")["rate"],
        scope=lambda wildcards: rv_part2("tickets")["scope"],
        layers=lambda wildcards: rv_part2("tickets")["layers"],
        output_rate_factor=lambda wildcards: rv_part2("tickets")["output_rate_factor"],
    script:
        "../../../scripts/review/ticket_level.py"


rule rv_ticket_control:
    input:
        data=f"{DATA}.pt",
        masks=f"{RV_LEVEL}/masks.pt",
        masks_from=f"{RV_LEVEL}/model.pt",  # whose failure the masks carry
        rewind=f"{RV_TICKETS}/dense/rewind.pt",
    output:
        metrics=f"{RV_LEVEL}/{{arm}}.json",
    log:
        f"{LOGS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}/{{schedule}}/level{{level}}_{{arm}}.log",
    wildcard_constraints:
        lr=r"[0-9.e-]+",
        schedule="iterative|oneshot",
        level=r"\d+",
        arm="reinit|scratch_b|random_masks",
    conda:
        ENV
    threads: lambda wildcards: study_cfg("review").get("threads", 2)
    params:
        train=rv_ticket_params,
        reinit_scaling=lambda wildcards: rv_part2("tickets")["reinit_scaling"],
        scratch_b_max_factor=None,
    script:
        "../../../scripts/review/retrain.py"


rule rv_dense_initialization:
    input:
        data=f"{DATA}.pt",
    output:
        model=f"{DENSE}/initialization.pt",
    log:
        f"{LOGS}/{RUN}/dense_initialization.log",
    conda:
        ENV
    params:
        model=model_params,
    script:
        "../../../scripts/review/dense_initialization.py"


rule rv_retrain:
    input:
        data=f"{DATA}.pt",
        masks=lambda wildcards: pruned_model(wildcards)["masks"],
        masks_from=lambda wildcards: pruned_model(wildcards)["model"],  # whose failure the masks carry
        rewind=f"{DENSE}/initialization.pt",
    output:
        metrics=RV_RETRAINED,
    log:
        f"{LOGS}/{RUN}/{{variant}}/sparsity{{sparsity}}/retrain_{{arm}}.log",
    wildcard_constraints:
        arm="|".join(RV_F6_ARMS),
    conda:
        ENV
    threads: job_threads
    params:
        train=train_params,
        reinit_scaling=lambda wildcards: rv_part2("scratch")["reinit_scaling"],
        scratch_b_max_factor=lambda wildcards: rv_part2("scratch")["scratch_b_max_factor"],
    script:
        "../../../scripts/review/retrain.py"


rule rv_part2_tables:
    input:
        levels=lambda wildcards: paths(f"{RV_LEVEL}/metrics.json", rv_ticket_runs()),
        controls=lambda wildcards: paths(f"{RV_LEVEL}/reinit.json", rv_ticket_runs()),
        dense=lambda wildcards: paths(f"{RV_TICKETS}/dense/metrics.json", rv_dense_ticket_runs()),
        runs=f"{RV}/runs/sparsity_runs.csv",
        retrained=lambda wildcards: [
            RV_RETRAINED.format(**run, arm=arm) for run in rv_scratch_runs() for arm in RV_F6_ARMS
        ],
    output:
        tickets=f"{RV}/runs/ticket_runs.csv",
        scratch=f"{RV}/runs/scratch_runs.csv",
        f2=[
            artifact("review", "F2", "csv"),
            artifact("review", "F2", "md"),
        ],
        f6=[
            artifact("review", "F6", "csv"),
            artifact("review", "F6", "md"),
        ],
    log:
        f"{LOGS}/review/part2_tables.log",
    conda:
        ENV
    params:
        tickets=lambda wildcards: rv_ticket_runs(),
        dense=lambda wildcards: rv_dense_ticket_runs(),
        scratch=lambda wildcards: [dict(run, arm=arm) for run in rv_scratch_runs() for arm in RV_F6_ARMS],
        scratch_model=lambda wildcards: rv_part2("scratch")["model"],
        scratch_variant=lambda wildcards: rv_part2("scratch")["variant"],
    script:
        "../../../scripts/review/part2_tables.py"


rule rv_part2_figures:
    input:
        tickets=f"{RV}/runs/ticket_runs.csv",
        scratch=f"{RV}/runs/scratch_runs.csv",
    output:
        f2=artifact("review", "F2", "png"),
        f2_pdf=artifact("review", "F2", "pdf"),
        f6=artifact("review", "F6", "png"),
        f6_pdf=artifact("review", "F6", "pdf"),
    log:
        f"{LOGS}/review/F2_F6.log",
    conda:
        ENV
    params:
        tickets=lambda wildcards: rv_part2("tickets"),
        scratch_model=lambda wildcards: rv_part2("scratch")["model"],
    script:
        "../../../scripts/review/part2_figures.py"


rule rv_pie:
    input:
        data=lambda wildcards: f"{DATA}.pt".format(dataset=study_cfg("review")["datasets"][0]),
        dense=lambda wildcards: paths(f"{DENSE}/model.pt", rv_pie_runs()),
        control=lambda wildcards: paths(f"{DENSE}/model.pt", rv_pie_runs(control=True)),
        pruned_models=lambda wildcards: [model for _, model, _ in rv_pie_pruned()],
        pruned_masks=lambda wildcards: [masks for _, _, masks in rv_pie_pruned()],
    output:
        counts=[
            artifact("review", "F7", "counts.csv"),
            artifact("review", "F7", "counts.md"),
        ],
        classes=[
            artifact("review", "F7", "classes.csv"),
            artifact("review", "F7", "classes.md"),
        ],
        pies=f"{RV}/runs/pie_images.csv",
        png=artifact("review", "F7", "png"),
        pdf=artifact("review", "F7", "pdf"),
    log:
        f"{LOGS}/review/F7.log",
    conda:
        ENV
    params:
        sparsities=lambda wildcards: [float(s) for s in rv_part2("pie")["sparsities"]],
        pruned_sparsity=lambda wildcards: [s for s, _, _ in rv_pie_pruned()],
        grid=lambda wildcards: rv_part2("pie")["grid"],
        model=lambda wildcards: rv_part2("pie")["model"],
    script:
        "../../../scripts/review/pie.py"


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
        rules.rv_part2_tables,
        rules.rv_part2_figures,
        rules.rv_pie,
        rules.rv_procedure,
    ],
)
