"""Study 000 end to end on configs/smoke.yaml: every artifact exists, is well formed and consistent."""

import json

import pandas as pd
import pytest
import torch
import yaml
from PIL import Image

from conftest import ROOT, snakemake
from prunebench.claims import STATUSES
from prunebench.data import load_prepared

pytestmark = pytest.mark.workflow

STUDY = "disentangle"
MIG_COLUMNS = ["mig_untrained", "mig_with_head", "mig_headless", "mig_pruned"]


def smoke_config() -> dict:
    return yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())


def smoke_variant() -> tuple[str, dict]:
    """The one pruning variant of 000 in the smoke config: (name, {method, scope, ...})."""
    (item,) = smoke_config()["studies"][STUDY]["prune"]["variants"].items()
    return item


def test_every_000_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results" / STUDY
    t1 = pd.read_csv(study / "000-T1_accuracy_compression.csv")
    assert set(t1["config_model"]) == {"cnn_classif", "beta_vae_b1", "beta_vae_b5"}
    assert list(dict.fromkeys(t1["dataset"])) == ["digits", "dsprites_small"], "dSprites is a dataset like any other"
    assert len(t1) == 2 * 2 * 3 and set(t1["pruned"]) == {True, False}
    assert t1["accuracy_mean"].between(0, 100).all() and t1["size_mean"].notna().all()
    sizes = t1.pivot_table(index=["dataset", "config_model"], columns="pruned", values="size_mean")
    assert (sizes[True] < sizes[False]).all(), "pruned models compress better"
    nonzero = t1.pivot_table(index=["dataset", "config_model"], columns="pruned", values="nonzero_parameters")
    assert (nonzero[True] < 0.6 * nonzero[False]).all()
    pruned = t1[t1["pruned"]].set_index(["dataset", "config_model"])
    unpruned = t1[~t1["pruned"]].set_index(["dataset", "config_model"])
    assert (pruned["pruning_loss_mean"] - (unpruned["accuracy_mean"] - pruned["accuracy_mean"])).abs().max() < 1e-9
    md = (study / "000-T1_accuracy_compression.md").read_text()
    assert "## digits" in md and "## dsprites_small" in md and "Comp. (KB)" in md and "Acc. with head (%)" in md
    assert "Lost to pruning (points)" in md and "Beta-VAE-Classif w/ pruning" in md
    assert t1["with_head_accuracy_mean"].between(0, 100).all()
    assert "\\toprule" in (study / "000-T1_accuracy_compression.tex").read_text()

    mig = pd.read_csv(study / "000-B1_mig.csv")
    assert set(mig["dataset"]) == {"dsprites_small"} and sorted(set(mig["beta"])) == [1, 5]
    assert set(mig["variant"]) == {smoke_variant()[0]} and set(mig["sparsity"]) == {0.5}
    assert mig[MIG_COLUMNS].stack().between(0, 1).all() and len(mig[MIG_COLUMNS].dropna()) == len(mig)
    assert {"with_head_test_accuracy", "headless_test_accuracy", "pruned_test_accuracy"} <= set(mig.columns)
    assert {f"with_head_gap_{f}" for f in ("shape", "scale", "pos_x", "pos_y")} <= set(mig.columns)
    assert mig["mig_untrained"].nunique() == 1, "one seed: the betas share the untrained encoder (same initialization)"
    assert "Mean and std over seeds" in (study / "000-B1_mig.md").read_text()

    claims = pd.read_csv(study / "000-claims.csv")
    assert list(claims["claim_id"]) == [f"000-C{i}" for i in range(1, 10)]
    assert set(claims["holds"]) <= set(STATUSES)
    c6 = claims.set_index("claim_id").loc["000-C6"]
    assert "after the first phase" in c6["test"] and "MIG after the first phase per beta" in c6["observed"]
    assert "after head removal" in claims.set_index("claim_id").loc["000-C7", "test"]
    for name in ("000-F1_beta_vae_classif", "000-B1_mig"):
        with Image.open(study / f"{name}.png") as image:
            image.verify()
            assert min(image.size) > 200
        assert (study / f"{name}.pdf").read_bytes().startswith(b"%PDF")


def test_phases_share_their_parents_and_pruning_starts_from_the_headless_model(smoke_run):
    variant, spec = smoke_variant()
    for dataset in ("digits", "dsprites_small"):
        runs = smoke_run / "results" / STUDY / "runs" / dataset / "beta_vae_b1" / "seed0"
        for path in (
            "dense/model.pt",
            "headless/model.pt",
            "headless/evaluation.json",
            f"{variant}/sparsity0.5/masks.pt",
            f"{variant}/sparsity0.5/finetuned.pt",
            f"{variant}/sparsity0.5/evaluation.json",
        ):
            assert (runs / path).exists(), (dataset, path)
        masks = json.loads((runs / variant / "sparsity0.5" / "masks.json").read_text())
        assert not any(layer["layer"].startswith("decoder") for layer in masks["layers"]), (
            "the head is removed before pruning"
        )
        assert all(abs(layer["sparsity"] - 0.5) < 0.01 for layer in masks["layers"])
        assert masks["provenance"]["config"]["method"] == spec["method"], (
            "the configured pruning variant, on dSprites too"
        )
        unpruned = json.loads((runs / "headless/evaluation.json").read_text())
        assert {"test", "val", "train", "cost"} <= set(unpruned["metrics"]) and "provenance" in unpruned
    logs = smoke_run / "logs" / STUDY
    assert (logs / "T1.log").exists() and (logs / "claims.log").exists() and (logs / "B1.log").exists()


def test_dsprites_factors_lie_next_to_the_prepared_data_and_mig_is_measured_at_every_point(smoke_run):
    results = smoke_run / "results"
    data = load_prepared(results / "data" / "dsprites_small.pt")
    factors = torch.load(results / "data" / "dsprites_small.factors.pt", weights_only=True)
    assert factors["names"] == ["shape", "scale", "pos_x", "pos_y"]
    for split in ("train", "val", "test"):
        assert torch.equal(factors[split][:, 0], getattr(data, f"{split}_y")), "the shape factor is the label"
    assert not (results / "data" / "digits.factors.pt").exists(), "digits has no ground-truth factors"
    run = results / STUDY / "runs" / "dsprites_small" / "beta_vae_b5" / "seed0"
    for point in ("untrained", "dense", "headless", f"{smoke_variant()[0]}/sparsity0.5"):
        record = json.loads((run / point / "mig.json").read_text())
        assert set(record["metrics"]["per_factor"]) == set(factors["names"]) and 0 <= record["metrics"]["mig"] <= 1
    assert not (results / STUDY / "runs" / "dsprites_small" / "cnn_classif" / "seed0" / "dense" / "mig.json").exists()
    assert (
        smoke_run / "logs" / STUDY / "runs" / "dsprites_small" / "beta_vae_b5" / "seed0" / "untrained" / "mig.log"
    ).exists()


def test_a_changed_pruning_variant_reaches_the_dsprites_runs(smoke_run, tmp_path):
    """dSprites goes through the shared prune / finetune / evaluate stages: a change to the configured variant reruns
    its pruning and what follows, and nothing before (the follow-up used to prune in process with a fixed method)."""
    config = smoke_config()
    variant, spec = smoke_variant()
    assert spec["method"] != "random"
    config["studies"][STUDY]["prune"]["variants"][variant] = {**spec, "method": "random", "scope": "global"}
    (tmp_path / "variant.yaml").write_text(yaml.safe_dump(config, sort_keys=False))  # key order is part of the params
    done = snakemake(smoke_run, "--configfile", str(tmp_path / "variant.yaml"), "--dry-run", STUDY)
    out = "\n".join(line for line in (done.stdout + done.stderr).splitlines() if line.strip().startswith("output:"))
    run = "dsprites_small/beta_vae_b5/seed0"
    for name in ("masks.pt", "finetuned.pt", "evaluation.json", "mig.json"):
        assert f"{run}/{variant}/sparsity0.5/{name}" in out, name
    assert f"{run}/dense/mig.json" not in out and f"{run}/headless/model.pt" not in out, "the runs before pruning stay"
