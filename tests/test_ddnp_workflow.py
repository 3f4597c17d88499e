"""Study 002 on configs/smoke.yaml: dense -> channel prune -> slim -> fine-tune -> evaluate -> 002-T1."""
import json

import pandas as pd
import pytest
import torch

from prunebench.models import load_checkpoint

pytestmark = pytest.mark.workflow


def test_002_t1_has_the_runs_beside_the_reported_rows(smoke_run):
    table = pd.read_csv(smoke_run / "results/ddnp/002-T1_comparison.csv")
    runs = table[table["source"] == "run here"]
    assert set(runs["method"]) == {"uniform_channels", "l1_filter"}
    assert (runs["prunable_flops_reduction_mean"] >= runs["target_flops_reduction"]).all()  # the default budget_scope
    assert (runs["flops_reduction_mean"] < runs["prunable_flops_reduction_mean"]).all()
    assert runs["pruned_accuracy_mean"].between(0, 1).all() and (runs["latency_batch1_ms_mean"] > 0).all()
    assert set(table.loc[table["source"] == "reported", "method"]) == {"AMC", "DCP", "CCP", "HRank", "LeGR", "MDP", "SCOP", "Uniform", "DDNP"}


def test_the_finetuned_network_is_the_slimmed_one(smoke_run):
    run = next((smoke_run / "results/ddnp/runs").rglob("l1/sparsity0.5"))
    checkpoint = torch.load(run / "finetuned.pt", weights_only=True)
    slimming = json.loads((run / "slimmed.json").read_text())["slimming"]
    assert checkpoint["spec"]["widths"] == slimming["widths"]
    model, _ = load_checkpoint(run / "finetuned.pt")
    assert sum(p.numel() for p in model.parameters()) == slimming["slimmed_parameters"] < slimming["dense_parameters"]
    assert torch.load(run / "finetuned_masks.pt", weights_only=True) == {}
    cost = json.loads((run / "evaluation.json").read_text())["metrics"]["cost"]
    assert cost["forward_flops"] == cost["slimmed_flops"] == slimming["slimmed_flops"]
