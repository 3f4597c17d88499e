"""End to end: study 003 (review), parts 1 and 2, on configs/smoke.yaml through the real Snakemake workflow."""

import json
import math
import re

import pandas as pd
import pytest
import torch
import yaml
from PIL import Image

from conftest import ROOT, snakemake
from prunebench.claims import STATUSES
from prunebench.models import load_checkpoint
from prunebench.pruning import load_masks

pytestmark = pytest.mark.workflow

SMOKE = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())["studies"]["review"]
TECHNIQUES = {"magnitude", "extended_magnitude", "random", "variational_dropout", "l0"}
FIGURES = ["003-F3_accuracy_sparsity", "003-F4_accuracy_sparsity", "003-F5_extended_magnitude", "003-B2_published"]
TABLES = ["003-B1_training_cost", "003-B2_published", "003-claims"]


def sparse_runs(results):
    return sorted((results / "review/runs/digits/lenet_300_100/seed0").glob("*/sparsity*"))


def assert_well_formed(study, figures, tables):
    """Each figure a readable PNG of some size and a PDF, each table a Markdown table with rows."""
    for name in figures:
        with Image.open(study / f"{name}.png") as image:
            image.verify()
            assert min(image.size) > 200
        assert (study / f"{name}.pdf").read_bytes().startswith(b"%PDF")
    for name in tables:
        assert (study / f"{name}.md").read_text().count("\n|") >= 3


def test_every_003_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results/review"
    assert_well_formed(study, FIGURES, TABLES)

    cost = pd.read_csv(study / "003-B1_training_cost.csv")
    assert set(cost["technique"]) == TECHNIQUES | {"dense"}
    sweep = cost[cost["technique"] != "dense"]
    assert len(sweep) == len(TECHNIQUES) * len(SMOKE["prune"]["sparsities"])
    assert (sweep["seconds"] > 0).all() and (sweep["ms_per_step"] > 0).all()
    assert sweep["test_accuracy_mean"].between(0, 100).all() and sweep["achieved_sparsity_mean"].between(0, 1).all()
    targeted = sweep[sweep["technique"].isin(["magnitude", "random"])]
    assert (targeted["achieved_sparsity_mean"] - targeted["target"]).abs().max() < 0.01
    # extended magnitude pruning leaves the first layer dense (prune_first_layer: false), most of an MLP's weights
    extended = sweep[sweep["technique"] == "extended_magnitude"]
    assert (extended["achieved_sparsity_mean"] < extended["target"] - 0.1).all()
    assert (cost.loc[cost["technique"] == "magnitude", "time_per_step_vs_magnitude"].mean()) == pytest.approx(1.0)
    steps = sweep.groupby("technique")["steps"].first()
    assert steps["extended_magnitude"] == pytest.approx(1.5 * steps["magnitude"], rel=0.05)

    published = pd.read_csv(study / "003-B2_published.csv")
    assert len(published) == 380 and published["source"].str.startswith("google-research/google-research@").all()

    claims = pd.read_csv(study / "003-claims.csv")
    assert list(claims["claim_id"]) == [f"003-C{i}" for i in range(1, 11)]
    assert set(claims["holds"]) <= set(STATUSES)
    assert claims.set_index("claim_id").loc["003-C4", "observed"].startswith("reported")


def test_evaluation_measures_the_trained_model_with_the_masks_it_handed_over(smoke_run):
    runs = sparse_runs(smoke_run / "results")
    assert len(runs) == len(TECHNIQUES) * len(SMOKE["prune"]["sparsities"])
    for run in runs:
        model, _ = load_checkpoint(run / "trained.pt")
        masks = load_masks(run / "trained_masks.pt")
        weights = dict(model.named_parameters())
        removed = sum(int((m == 0).sum()) for m in masks.values())
        for name, mask in masks.items():
            assert torch.all(weights[name][mask == 0] == 0), f"{run}: {name} keeps a removed weight"
        training = json.loads((run / "training.json").read_text())["metrics"]
        assert training["achieved_sparsity"] == pytest.approx(removed / sum(m.numel() for m in masks.values()))
        cost = json.loads((run / "evaluation.json").read_text())["metrics"]["cost"]
        assert cost["nonzero_parameters"] <= cost["total_parameters"] - removed
        assert (smoke_run / "logs" / run.relative_to(smoke_run / "results") / "train_sparse.log").exists()


def test_every_technique_starts_from_the_dense_reference_initialization(smoke_run):
    """Before the first step (history epoch 0) a gradual run that has not pruned yet is the dense model's init."""
    seed0 = smoke_run / "results/review/runs/digits/lenet_300_100/seed0"
    dense = pd.read_csv(seed0 / "dense/history.csv").iloc[0]
    for variant in ("magnitude", "random"):
        first = pd.read_csv(seed0 / variant / "sparsity0.5/trained_history.csv").iloc[0]
        assert first["val_loss"] == dense["val_loss"]


def test_a_sweep_that_does_not_fit_fails_before_any_job_naming_the_key(tmp_path):
    bad = (ROOT / "configs/smoke.yaml").read_text().replace("sweep_seed: 1", "sweep_seed: 0")
    (tmp_path / "bad.yaml").write_text(bad)
    done = snakemake(tmp_path, "--configfile", str(tmp_path / "bad.yaml"), check=False)
    assert done.returncode != 0
    assert "config key studies.review.sweep_seed: 0 is among studies.review.seeds" in done.stdout + done.stderr
    assert not (tmp_path / "results").exists()


PART2_FIGURES = ["003-F1_procedure", "003-F2_winning_ticket", "003-F6_scratch", "003-F7_pie"]
PART2_TABLES = ["003-F2_winning_ticket", "003-F6_scratch", "003-F7_pie_counts", "003-F7_pie_classes"]
TICKETS = SMOKE["tickets"]


def test_every_part2_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results/review"
    assert_well_formed(study, PART2_FIGURES, PART2_TABLES)
    catalog = json.loads((smoke_run / "results/artifacts.json").read_text())["review"]
    assert {f"review/{name}.{ext}" for name in PART2_FIGURES for ext in ("png", "pdf")} <= set(catalog)
    assert {f"review/{name}.{ext}" for name in PART2_TABLES for ext in ("csv", "md")} <= set(catalog)

    dot = (study / "runs/rulegraph.dot").read_text()
    for rule in (
        "prepare_data",
        "rv_ticket_dense",
        "rv_ticket_level",
        "rv_ticket_retrain",
        "rv_scratch_retrain",
        "rv_pie",
    ):
        assert f'label = "{rule}"' in dot

    f2 = pd.read_csv(study / "003-F2_winning_ticket.csv")
    pruned = f2[f2["arm"] != "dense"]
    levels = TICKETS["levels"]
    assert len(pruned) == len(TICKETS["learning_rates"]) * 2 * levels * 2  # lr x schedule x level x (ticket, re-init)
    # between the hidden layers' remaining fraction and the output layer's (pruned at output_rate_factor x rate)
    lowest = (1 - TICKETS["rate"]) ** pruned["level"] - 0.02  # each layer rounded to whole weights
    highest = (1 - TICKETS["output_rate_factor"] * TICKETS["rate"]) ** pruned["level"] + 0.02
    assert pruned["remaining_mean"].between(lowest, highest).all()

    f6 = pd.read_csv(study / "003-F6_scratch.csv")
    assert set(f6["arm"]) == {
        "magnitude pruning",
        "lottery ticket",
        "scratch-E",
        "scratch-B",
        "random masks (ticket init)",
    }
    pie = pd.read_csv(study / "003-F7_pie_counts.csv")
    assert list(pie["sparsity"]) == SMOKE["pie"]["sparsities"]
    assert (pie["models_per_population"] == SMOKE["pie"]["population"]).all()
    assert (pie["control_models"] == SMOKE["pie"]["population"]).all(), "the control defaults to the population's size"
    classes = pd.read_csv(study / "003-F7_pie_classes.csv")
    assert len(classes) == 10 * len(SMOKE["pie"]["sparsities"]) and classes["p_value"].dropna().between(0, 1).all()


def test_each_ticket_level_keeps_the_previous_levels_pruned_weights_pruned(smoke_run):
    for run in (smoke_run / "results/review/tickets/digits").glob("lr*/seed0"):
        previous = None
        for level in range(1, TICKETS["levels"] + 1):
            masks = load_masks(run / f"iterative/level{level}/masks.pt")
            output = list(masks)[-1]  # pruned at output_rate_factor x rate
            for name, mask in masks.items():
                rate = TICKETS["rate"] * (TICKETS["output_rate_factor"] if name == output else 1.0)
                assert int((mask == 0).sum()) == round((1 - (1 - rate) ** level) * mask.numel())
                if previous is not None:
                    assert torch.all(mask[previous[name] == 0] == 0)
            model, _ = load_checkpoint(run / f"iterative/level{level}/model.pt")
            weights = dict(model.named_parameters())
            assert all(torch.all(weights[n][m == 0] == 0) for n, m in masks.items())
            previous = masks


def test_scratch_b_trains_the_dense_runs_compute(smoke_run):
    for run in (smoke_run / "results/review/runs/digits/lenet_300_100/seed0/magnitude").glob("sparsity*"):
        e = json.loads((run / "retrain_reinit.json").read_text())["metrics"]
        b = json.loads((run / "retrain_scratch_b.json").read_text())["metrics"]
        assert e["epochs"] == SMOKE["train"]["epochs"]
        assert b["epochs"] == math.ceil(e["epochs"] * b["dense_flops"] / b["remaining_flops"] - 1e-9) > e["epochs"]


def test_the_tickets_are_a_target_of_their_own_that_needs_no_part_1(tmp_path):
    done = snakemake(tmp_path, "--dry-run", targets=("rv_tickets",))
    counts = dict(re.findall(r"^(\w+)\s+(\d+)$", done.stdout, re.MULTILINE))
    assert int(counts["rv_ticket_level"]) > 0 and int(counts["rv_ticket_retrain"]) > 0
    assert not {"train_dense", "train_sparse", "rv_tables", "rv_scratch_retrain", "rv_claims"} & set(counts)
