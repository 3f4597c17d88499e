# Study 003 (review of pruning), part 1: the State of Sparsity comparison, under results/review/.
# Shared stages it uses: prepare_data -> train_dense (the dense reference) and train_sparse (each technique x sweep
# point x seed, from the same initialization) -> evaluate. Its own: the run tables, 003-F3..F5, B1, B2 and claims.

RV = f"{RESULTS}/review"
RV_CAPTIONS = "../../../report/review"
RV_CATEGORY = "003 Pruning deep neural networks (a review)"


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
            report(
                f"{RV}/003-B1_training_cost.csv",
                caption=f"{RV_CAPTIONS}/B1.rst",
                category=RV_CATEGORY,
                subcategory="003-B1 training cost of each technique",
                labels={"type": "table (CSV)"},
            ),
            f"{RV}/003-B1_training_cost.md",
        ],
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
        f3=report(
            f"{RV}/003-F3_accuracy_sparsity.png",
            caption=f"{RV_CAPTIONS}/F3.rst",
            category=RV_CATEGORY,
            subcategory="003-F3 accuracy against sparsity (the Transformer comparison)",
            labels={"type": "figure (PNG)"},
        ),
        f3_pdf=f"{RV}/003-F3_accuracy_sparsity.pdf",
        f4=report(
            f"{RV}/003-F4_accuracy_sparsity.png",
            caption=f"{RV_CAPTIONS}/F4.rst",
            category=RV_CATEGORY,
            subcategory="003-F4 accuracy against sparsity (the ResNet-50 comparison)",
            labels={"type": "figure (PNG)"},
        ),
        f4_pdf=f"{RV}/003-F4_accuracy_sparsity.pdf",
        f5=report(
            f"{RV}/003-F5_extended_magnitude.png",
            caption=f"{RV_CAPTIONS}/F5.rst",
            category=RV_CATEGORY,
            subcategory="003-F5 extended magnitude pruning",
            labels={"type": "figure (PNG)"},
        ),
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
        table=[
            report(
                f"{RV}/003-B2_published.csv",
                caption=f"{RV_CAPTIONS}/B2_table.rst",
                category=RV_CATEGORY,
                subcategory="003-B2 the published State of Sparsity results",
                labels={"type": "table (CSV)"},
            ),
            f"{RV}/003-B2_published.md",
        ],
        png=report(
            f"{RV}/003-B2_published.png",
            caption=f"{RV_CAPTIONS}/B2.rst",
            category=RV_CATEGORY,
            subcategory="003-B2 the published State of Sparsity results",
            labels={"type": "figure (PNG)"},
        ),
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
        tickets=f"{RV}/runs/ticket_runs.csv",
        scratch=f"{RV}/runs/scratch_runs.csv",
        pie_counts=f"{RV}/003-F7_pie_counts.csv",
        dense_histories=lambda wildcards: paths(f"{DENSE}/history.csv", runs_of("review")),
        ticket_histories=lambda wildcards: paths(f"{RV_TICKETS}/dense/history.csv", rv_dense_ticket_runs()),
        pie_histories=lambda wildcards: paths(f"{DENSE}/history.csv", rv_pie_runs() + rv_pie_runs(control=True)),
    output:
        report(
            f"{RV}/003-claims.csv",
            caption=f"{RV_CAPTIONS}/claims.rst",
            category=RV_CATEGORY,
            subcategory="003 claims",
            labels={"type": "table (CSV)"},
        ),
        f"{RV}/003-claims.md",
    params:
        figures=lambda wildcards: rv_figure_models(),
        dense_models=lambda wildcards: [run["model"] for run in runs_of("review")],
        scratch_model=lambda wildcards: rv_part2("scratch")["model"],
        ticket_lrs=lambda wildcards: [run["lr"] for run in rv_dense_ticket_runs()],
    conda:
        ENV
    log:
        f"{LOGS}/review/claims.log",
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
    params:
        model=lambda wildcards: ticket_model(rv_part2("tickets")),
        train=rv_ticket_params,
        rewind_step=lambda wildcards: rv_part2("tickets")["rewind_step"],
    wildcard_constraints:
        lr=r"[0-9.e-]+",
    threads: lambda wildcards: study_cfg("review").get("threads", 2)
    conda:
        ENV
    log:
        f"{LOGS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}/dense.log",
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
    params:
        train=rv_ticket_params,
        rate=lambda wildcards: rv_part2("tickets")["rate"],
        scope=lambda wildcards: rv_part2("tickets")["scope"],
        layers=lambda wildcards: rv_part2("tickets")["layers"],
        output_rate_factor=lambda wildcards: rv_part2("tickets")["output_rate_factor"],
    wildcard_constraints:
        lr=r"[0-9.e-]+",
        schedule="iterative|oneshot",
        level=r"\d+",
    threads: lambda wildcards: study_cfg("review").get("threads", 2)
    conda:
        ENV
    log:
        f"{LOGS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}/{{schedule}}/level{{level}}.log",
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
    params:
        train=rv_ticket_params,
        reinit_scaling=lambda wildcards: rv_part2("tickets")["reinit_scaling"],
        scratch_b_max_factor=None,
    wildcard_constraints:
        lr=r"[0-9.e-]+",
        schedule="iterative|oneshot",
        level=r"\d+",
        arm="reinit|scratch_b|random_masks",
    threads: lambda wildcards: study_cfg("review").get("threads", 2)
    conda:
        ENV
    log:
        f"{LOGS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}/{{schedule}}/level{{level}}_{{arm}}.log",
    script:
        "../../../scripts/review/retrain.py"


rule rv_dense_initialization:
    input:
        data=f"{DATA}.pt",
    output:
        model=f"{DENSE}/initialization.pt",
    params:
        model=model_params,
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/dense_initialization.log",
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
    params:
        train=train_params,
        reinit_scaling=lambda wildcards: rv_part2("scratch")["reinit_scaling"],
        scratch_b_max_factor=lambda wildcards: rv_part2("scratch")["scratch_b_max_factor"],
    wildcard_constraints:
        arm="|".join(RV_F6_ARMS),
    threads: job_threads
    conda:
        ENV
    log:
        f"{LOGS}/{RUN}/{{variant}}/sparsity{{sparsity}}/retrain_{{arm}}.log",
    script:
        "../../../scripts/review/retrain.py"


rule rv_part2_tables:
    input:
        levels=lambda wildcards: paths(f"{RV_LEVEL}/metrics.json", rv_ticket_runs()),
        controls=lambda wildcards: paths(f"{RV_LEVEL}/reinit.json", rv_ticket_runs()),
        dense=lambda wildcards: paths(f"{RV_TICKETS}/dense/metrics.json", rv_dense_ticket_runs()),
        runs=f"{RV}/runs/sparsity_runs.csv",
        retrained=lambda wildcards: [RV_RETRAINED.format(**run, arm=arm) for run in rv_scratch_runs() for arm in RV_F6_ARMS],
    output:
        tickets=f"{RV}/runs/ticket_runs.csv",
        scratch=f"{RV}/runs/scratch_runs.csv",
        f2=[
            report(
                f"{RV}/003-F2_winning_ticket.csv",
                caption=f"{RV_CAPTIONS}/F2_table.rst",
                category=RV_CATEGORY,
                subcategory="003-F2 winning ticket against random re-initialization",
                labels={"type": "table (CSV)"},
            ),
            f"{RV}/003-F2_winning_ticket.md",
        ],
        f6=[
            report(
                f"{RV}/003-F6_scratch.csv",
                caption=f"{RV_CAPTIONS}/F6_table.rst",
                category=RV_CATEGORY,
                subcategory="003-F6 magnitude pruning against training from scratch",
                labels={"type": "table (CSV)"},
            ),
            f"{RV}/003-F6_scratch.md",
        ],
    params:
        tickets=lambda wildcards: rv_ticket_runs(),
        dense=lambda wildcards: rv_dense_ticket_runs(),
        scratch=lambda wildcards: [dict(run, arm=arm) for run in rv_scratch_runs() for arm in RV_F6_ARMS],
        scratch_model=lambda wildcards: rv_part2("scratch")["model"],
        scratch_variant=lambda wildcards: rv_part2("scratch")["variant"],
    conda:
        ENV
    log:
        f"{LOGS}/review/part2_tables.log",
    script:
        "../../../scripts/review/part2_tables.py"


rule rv_part2_figures:
    input:
        tickets=f"{RV}/runs/ticket_runs.csv",
        scratch=f"{RV}/runs/scratch_runs.csv",
    output:
        f2=report(
            f"{RV}/003-F2_winning_ticket.png",
            caption=f"{RV_CAPTIONS}/F2.rst",
            category=RV_CATEGORY,
            subcategory="003-F2 winning ticket against random re-initialization",
            labels={"type": "figure (PNG)"},
        ),
        f2_pdf=f"{RV}/003-F2_winning_ticket.pdf",
        f6=report(
            f"{RV}/003-F6_scratch.png",
            caption=f"{RV_CAPTIONS}/F6.rst",
            category=RV_CATEGORY,
            subcategory="003-F6 magnitude pruning against training from scratch",
            labels={"type": "figure (PNG)"},
        ),
        f6_pdf=f"{RV}/003-F6_scratch.pdf",
    params:
        tickets=lambda wildcards: rv_part2("tickets"),
        scratch_model=lambda wildcards: rv_part2("scratch")["model"],
    conda:
        ENV
    log:
        f"{LOGS}/review/F2_F6.log",
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
            report(
                f"{RV}/003-F7_pie_counts.csv",
                caption=f"{RV_CAPTIONS}/F7_counts.rst",
                category=RV_CATEGORY,
                subcategory="003-F7 pruning identified exemplars (PIE)",
                labels={"type": "PIE counts (CSV)"},
            ),
            f"{RV}/003-F7_pie_counts.md",
        ],
        classes=[
            report(
                f"{RV}/003-F7_pie_classes.csv",
                caption=f"{RV_CAPTIONS}/F7_classes.rst",
                category=RV_CATEGORY,
                subcategory="003-F7 pruning identified exemplars (PIE)",
                labels={"type": "per-class recall change (CSV)"},
            ),
            f"{RV}/003-F7_pie_classes.md",
        ],
        pies=f"{RV}/runs/pie_images.csv",
        png=report(
            f"{RV}/003-F7_pie.png",
            caption=f"{RV_CAPTIONS}/F7.rst",
            category=RV_CATEGORY,
            subcategory="003-F7 pruning identified exemplars (PIE)",
            labels={"type": "figure (PNG)"},
        ),
        pdf=f"{RV}/003-F7_pie.pdf",
    params:
        sparsities=lambda wildcards: [float(s) for s in rv_part2("pie")["sparsities"]],
        pruned_sparsity=lambda wildcards: [s for s, _, _ in rv_pie_pruned()],
        grid=lambda wildcards: rv_part2("pie")["grid"],
        model=lambda wildcards: rv_part2("pie")["model"],
    conda:
        ENV
    log:
        f"{LOGS}/review/F7.log",
    script:
        "../../../scripts/review/pie.py"



rule rv_procedure:
    output:
        dot=f"{RV}/runs/rulegraph.dot",
        png=report(
            f"{RV}/003-F1_procedure.png",
            caption=f"{RV_CAPTIONS}/F1.rst",
            category=RV_CATEGORY,
            subcategory="003-F1 the train, prune, fine-tune procedure",
            labels={"type": "figure (PNG)"},
        ),
        pdf=f"{RV}/003-F1_procedure.pdf",
    params:
        config=lambda wildcards: dict(workflow.config_settings.overwrite_config),  # this run's config files and --config: its graph
        snakefile=workflow.main_snakefile,
        targets=["review"],
    localrule: True
    conda:
        ENV
    log:
        f"{LOGS}/review/F1.log",
    script:
        "../../../scripts/review/procedure.py"


register_study(
    "review",
    lambda: [rules.rv_tables, rules.rv_figures, rules.rv_published, rules.rv_claims, rules.rv_part2_tables, rules.rv_part2_figures, rules.rv_pie, rules.rv_procedure],
)
