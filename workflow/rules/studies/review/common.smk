# Study 003 (review): input helpers of its artifact rules (functions only).
from types import SimpleNamespace

from prunebench.studies.review.published import DATA as PUBLISHED_RESULTS
from prunebench.studies.review.tables import TECHNIQUES
from prunebench.studies.review.tickets import ticket_model

RV_PUBLISHED = str(PUBLISHED_RESULTS)  # the published State of Sparsity results shipped with the library


def rv_sos_runs():
    """Every training-time run of part 1 (the State of Sparsity techniques), as wildcard dicts."""
    return [r for r in pruned_runs_of("review") if r["variant"] in TECHNIQUES]


def rv_figure_models():
    return study_cfg("review")["figures"]


# Part 2 (lottery tickets, scratch training, PIE).
RV_TICKETS = f"{RESULTS}/review/tickets/{{dataset}}/lr{{lr}}/seed{{seed}}"  # 003-F2: one dense run and its chain
RV_LEVEL = f"{RV_TICKETS}/{{schedule}}/level{{level}}"
RV_RETRAINED = f"{PRUNED}/retrain_{{arm}}.json"  # 003-F6: the final masks of a part-1 run, retrained


def rv_part2(section):
    return study_cfg("review")[section]


def rv_ticket_params(wildcards):
    tickets = rv_part2("tickets")
    return {**tickets["train"], "lr": float(wildcards.lr)}


def rv_previous_level(wildcards):
    """What level L prunes: level L-1's trained model and masks (iterative), or the dense model (one-shot, level 1)."""
    level = int(wildcards.level)
    if wildcards.schedule == "oneshot" or level == 1:
        return {"model": f"{RV_TICKETS}/dense/model.pt".format(**wildcards)}
    previous = f"{RV_TICKETS}/iterative/level{level - 1}".format(**wildcards)
    return {"model": f"{previous}/model.pt", "masks": f"{previous}/masks.pt"}


def rv_ticket_runs():
    """Every (learning rate, seed, schedule, level) of 003-F2 as wildcard dicts. One-shot pruning to level 1's
    sparsity is iterative level 1 (the same masks from the same dense weights), so one-shot starts at level 2."""
    tickets = rv_part2("tickets")
    return [
        {
            "dataset": study_cfg("review")["datasets"][0],
            "lr": f"{lr:g}",
            "seed": seed,
            "schedule": schedule,
            "level": level,
        }
        for lr in tickets["learning_rates"]
        for seed in tickets["seeds"]
        for schedule in ("iterative", "oneshot")
        for level in range(1 if schedule == "iterative" else 2, tickets["levels"] + 1)
    ]


def rv_dense_ticket_runs():
    return [
        dict(r, schedule="dense", level=0) for r in rv_ticket_runs() if r["schedule"] == "iterative" and r["level"] == 1
    ]


RV_F6_ARMS = ("rewind", "reinit", "scratch_b", "random_masks")  # lottery ticket, Scratch-E, Scratch-B, random masks


def rv_scratch_runs():
    """Every part-1 run whose masks 003-F6 retrains (the `scratch` variant of its model, every seed and sparsity)."""
    scratch = rv_part2("scratch")
    return [
        r for r in pruned_runs_of("review") if r["variant"] == scratch["variant"] and r["model"] == scratch["model"]
    ]


def rv_pie_runs(control=False):
    """PIE's populations: part 1's dense run and its `pie.variant` runs at each of `pie.sparsities`, for seeds
    0 .. population-1 (the same jobs as part 1's where seed and sparsity coincide); with `control`, the dense runs of
    the control population: the next `control_population` seeds (default: as many as `population`)."""
    pie = rv_part2("pie")
    base = {"study": "review", "dataset": study_cfg("review")["datasets"][0], "model": pie["model"]}
    first = pie["population"] if control else 0
    seeds = range(first, first + (pie.get("control_population", pie["population"]) if control else pie["population"]))
    return [{**base, "seed": seed} for seed in seeds]


def rv_pie_pruned():
    """(sparsity, trained model, final masks) of every pruned model of PIE's populations, sparsity by sparsity."""
    pie = rv_part2("pie")
    out = []
    for s in pie["sparsities"]:
        for run in rv_pie_runs():
            wildcards = pruned_run(run, pie["variant"], s)
            files = pruned_model(SimpleNamespace(**wildcards))
            out.append((float(s), files["model"].format(**wildcards), files["masks"].format(**wildcards)))
    return out
