"""Study 002 on configs/smoke.yaml: dense -> channel prune or search -> slim -> fine-tune -> evaluate -> 002-T1, the
figures F2-F4 and the claims."""

import json

import pandas as pd
import pytest
import torch
import yaml

from conftest import ROOT, snakemake
from prunebench.models import load_checkpoint

pytestmark = pytest.mark.workflow

ABLATIONS = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())["studies"]["ddnp"]["search_ablations"]


def test_002_t1_has_the_runs_beside_the_reported_rows(smoke_run):
    table = pd.read_csv(smoke_run / "results/ddnp/002-T1_comparison.csv")
    runs = table[table["source"] == "run here"]
    assert set(runs["method"]) == {"uniform_channels", "l1_filter", "ddnp", "dp"}  # the search ablations are not in T1
    assert set(runs["target_flops_reduction"]) == {0.5, 0.65}
    criteria = runs[runs["method"].isin(["uniform_channels", "l1_filter"])]
    assert (
        criteria["prunable_flops_reduction_mean"] >= criteria["target_flops_reduction"]
    ).all()  # the default budget_scope
    searched = runs[runs["method"].isin(["ddnp", "dp"])]
    assert (searched["prunable_flops_reduction_mean"] >= searched["target_flops_reduction"] - 1e-9).all()  # projected
    assert searched["search_flops_reduction_mean"].notna().all() and criteria["projected"].isna().all()
    assert (runs["flops_reduction_mean"] <= runs["prunable_flops_reduction_mean"]).all()
    assert runs["pruned_accuracy_mean"].between(0, 1).all() and (runs["latency_batch1_ms_mean"] > 0).all()
    assert set(table.loc[table["source"] == "reported", "method"]) == {
        "AMC",
        "DCP",
        "CCP",
        "HRank",
        "LeGR",
        "MDP",
        "SCOP",
        "Uniform",
        "DDNP",
    }


def test_the_finetuned_network_is_the_slimmed_one(smoke_run):
    run = next((smoke_run / "results/ddnp/runs").rglob("l1/flops0.5"))
    checkpoint = torch.load(run / "finetuned.pt", weights_only=True)
    slimming = json.loads((run / "slimmed.json").read_text())["slimming"]
    assert checkpoint["spec"]["widths"] == slimming["widths"]
    model, _ = load_checkpoint(run / "finetuned.pt")
    assert sum(p.numel() for p in model.parameters()) == slimming["slimmed_parameters"] < slimming["dense_parameters"]
    assert torch.load(run / "finetuned_masks.pt", weights_only=True) == {}
    cost = json.loads((run / "evaluation.json").read_text())["metrics"]["cost"]
    assert cost["forward_flops"] == cost["slimmed_flops"] == slimming["slimmed_flops"]


def searches(smoke_run, variant):
    return sorted((smoke_run / "results/ddnp/runs").rglob(f"{variant}/flops*/search.json"))


def test_a_search_writes_masks_history_and_record_and_the_slimmed_network_is_the_searched_one(smoke_run):
    for path in searches(smoke_run, "ddnp") + searches(smoke_run, "dp"):
        record = json.loads(path.read_text())["search"]
        history = pd.read_csv(path.parent / "search_history.csv")
        assert list(history["epoch"]) == list(range(len(history))) and history["heldout_accuracy"].between(0, 1).all()
        assert [c for c in history if c.startswith("kept_")] == [f"kept_{layer}" for layer in record["channels"]]
        last = history.iloc[record["selected_epoch"]]
        assert {layer: int(last[f"kept_{layer}"]) for layer in record["channels"]} == record["search_widths"]
        assert record["within_budget"] and record["projected"] == (record["widths"] != record["search_widths"])
        slimming = json.loads((path.parent / "slimmed.json").read_text())["slimming"]
        assert (
            slimming["slimmed_flops"] == record["searched_flops"] and slimming["dense_flops"] == record["dense_flops"]
        )
        # the budget: p of the prunable FLOPs, as for the one-shot criteria (one FLOPs count for both)
        assert record["within_budget"] == (slimming["slimmed_flops"] <= record["budget_flops"] * (1 + 1e-9))


def test_the_search_ablations_are_searched_only(smoke_run):
    for variant in ABLATIONS:
        found = searches(smoke_run, variant)
        assert len(found) == 2 and not any((path.parent / "finetuned.pt").exists() for path in found)


def test_002_figures_and_search_claims(smoke_run):
    out = smoke_run / "results/ddnp"
    for name in ("002-F2_soft_mask", "002-F3_layer_widths", "002-F4_search_accuracy"):
        assert (out / f"{name}.png").stat().st_size > 0 and (out / f"{name}.pdf").stat().st_size > 0
    widths = pd.read_csv(out / "002-F3_layer_widths.csv")
    assert (
        set(widths["variant"]) >= {"ddnp", "dp"}
        and (widths["kept"] <= widths["channels"]).all()
        and (widths["kept"] >= 1).all()
    )
    curves = pd.read_csv(out / "002-F4_search_accuracy.csv")
    assert set(curves["variant"]) == {"ddnp", "dp", *ABLATIONS}
    claims = pd.read_csv(out / "002-claims.csv").set_index("claim_id")
    assert list(claims.index) == ["002-C1", "002-C2", "002-C3", "002-C4", "002-C5"]
    assert "not tested" not in set(claims["holds"])  # every search the claims need is in the smoke run


def test_a_run_path_naming_another_measure_than_its_methods_is_an_error_naming_the_right_one(tmp_path):
    run = f"{tmp_path}/results/ddnp/runs/digits/resnet20/seed0"
    done = snakemake(tmp_path, "--dry-run", check=False, targets=(f"{run}/l1/sparsity0.5/evaluation.json",))
    assert done.returncode != 0
    assert "variant l1's runs are under l1/flops<target>, not l1/sparsity<target>" in done.stdout + done.stderr
    snakemake(tmp_path, "--dry-run", targets=(f"{run}/l1/flops0.5/evaluation.json",))
