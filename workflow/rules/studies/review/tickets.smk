# Study 003, part 2: lottery tickets and scratch training (003-F2: rv_tickets; 003-F6: rv_scratch). Each is its own
# target, so the tickets can be run (`snakemake rv_tickets`) without part 1, which 003-F6 retrains.
# 003-F2's chain per (learning rate, seed): rv_ticket_dense -> level 1 -> level 2 -> ... (rv_ticket_level, schedule
# `iterative`: each level prunes the previous level's trained weights, rewinds, retrains); one-shot pruning to a
# level's sparsity is the same rule reading the dense model (schedule `oneshot`); rv_ticket_retrain retrains a level's
# masks from a fresh initialization. 003-F6 retrains the final masks of part 1's magnitude runs (rv_scratch_retrain).


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
        model=lambda wildcards: ticket_model(rv_part2("tickets")),
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


rule rv_ticket_retrain:
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


rule rv_scratch_retrain:
    input:
        data=f"{DATA}.pt",
        masks=lambda wildcards: pruned_model(wildcards)["masks"],
        masks_from=lambda wildcards: pruned_model(wildcards)["model"],  # whose failure the masks carry
        rewind=f"{DENSE}/initialization.pt",
    output:
        metrics=RV_RETRAINED,
    log:
        f"{LOGS}/{RUN}/{{variant}}/{{measure}}{{target}}/retrain_{{arm}}.log",
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


rule rv_tickets:
    input:
        levels=lambda wildcards: paths(f"{RV_LEVEL}/metrics.json", rv_ticket_runs()),
        controls=lambda wildcards: paths(f"{RV_LEVEL}/reinit.json", rv_ticket_runs()),
        dense=lambda wildcards: paths(f"{RV_TICKETS}/dense/metrics.json", rv_dense_ticket_runs()),
    output:
        tickets=f"{RV}/runs/ticket_runs.csv",
        table=[
            artifact("review", "F2", "csv"),
            artifact("review", "F2", "md"),
        ],
        png=artifact("review", "F2", "png"),
        pdf=artifact("review", "F2", "pdf"),
    log:
        f"{LOGS}/review/F2.log",
    conda:
        ENV
    params:
        tickets=lambda wildcards: rv_ticket_runs(),
        dense=lambda wildcards: rv_dense_ticket_runs(),
        model=lambda wildcards: rv_part2("tickets")["model"]["arch"],
    script:
        "../../../scripts/review/tickets.py"


rule rv_scratch:
    input:
        runs=f"{RV}/runs/sparsity_runs.csv",
        retrained=lambda wildcards: [
            RV_RETRAINED.format(**run, arm=arm) for run in rv_scratch_runs() for arm in RV_F6_ARMS
        ],
    output:
        scratch=f"{RV}/runs/scratch_runs.csv",
        table=[
            artifact("review", "F6", "csv"),
            artifact("review", "F6", "md"),
        ],
        png=artifact("review", "F6", "png"),
        pdf=artifact("review", "F6", "pdf"),
    log:
        f"{LOGS}/review/F6.log",
    conda:
        ENV
    params:
        scratch=lambda wildcards: [dict(run, arm=arm) for run in rv_scratch_runs() for arm in RV_F6_ARMS],
        model=lambda wildcards: rv_part2("scratch")["model"],
        variant=lambda wildcards: rv_part2("scratch")["variant"],
    script:
        "../../../scripts/review/scratch.py"
