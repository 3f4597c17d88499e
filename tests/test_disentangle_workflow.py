"""Study 000 end to end on configs/smoke.yaml: every artifact exists, is well formed and consistent."""
import json

import pandas as pd
import pytest
from PIL import Image

pytestmark = pytest.mark.workflow

STUDY = "disentangle"


def test_every_000_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results" / STUDY
    t1 = pd.read_csv(study / "000-T1_accuracy_compression.csv")
    assert set(t1["config_model"]) == {"cnn_classif", "beta_vae_b1", "beta_vae_b5"}
    assert len(t1) == 2 * 3 and set(t1["pruned"]) == {True, False}
    assert t1["accuracy_mean"].between(0, 100).all() and t1["size_mean"].notna().all()
    sizes = t1.pivot_table(index="config_model", columns="pruned", values="size_mean")
    assert (sizes[True] < sizes[False]).all(), "pruned models compress better"
    nonzero = t1.pivot_table(index="config_model", columns="pruned", values="nonzero_parameters")
    assert (nonzero[True] < 0.6 * nonzero[False]).all()
    assert t1["total_parameters"].nunique() <= 3
    md = (study / "000-T1_accuracy_compression.md").read_text()
    assert "## digits" in md and "Comp. (KB)" in md and "Acc. with head (%)" in md and "Beta-VAE-Classif w/ pruning" in md
    assert t1["with_head_accuracy_mean"].between(0, 100).all()
    assert "\\toprule" in (study / "000-T1_accuracy_compression.tex").read_text()

    mig = pd.read_csv(study / "000-B1_mig.csv")
    assert sorted(set(mig["beta"])) == [1, 5]
    assert mig["unpruned_mig"].between(0, 1).all() and mig["pruned_test_accuracy"].between(0, 1).all()

    claims = pd.read_csv(study / "000-claims.csv")
    assert list(claims["claim_id"]) == [f"000-C{i}" for i in range(1, 9)]
    assert set(claims["holds"]) <= {"holds", "does not hold", "not tested"}
    for name in ("000-F1_beta_vae_classif", "000-B1_mig"):
        with Image.open(study / f"{name}.png") as image:
            image.verify()
            assert min(image.size) > 200
        assert (study / f"{name}.pdf").read_bytes().startswith(b"%PDF")


def test_phases_share_their_parents_and_pruning_starts_from_the_headless_model(smoke_run):
    runs = smoke_run / "results" / STUDY / "runs" / "digits" / "beta_vae_b1" / "seed0"
    for path in ("dense/model.pt", "headless/model.pt", "headless/evaluation.json", "pruned/sparsity0.5/masks.pt",
                 "pruned/sparsity0.5/finetuned.pt", "pruned/sparsity0.5/evaluation.json"):
        assert (runs / path).exists(), path
    masks = json.loads((runs / "pruned/sparsity0.5/masks.json").read_text())["layers"]
    assert not any(layer["layer"].startswith("decoder") for layer in masks), "the head is removed before pruning"
    assert all(abs(layer["sparsity"] - 0.5) < 0.01 for layer in masks)
    unpruned = json.loads((runs / "headless/evaluation.json").read_text())
    assert {"test", "val", "train", "cost"} <= set(unpruned["metrics"]) and "provenance" in unpruned
    logs = smoke_run / "logs" / STUDY
    assert (logs / "T1.log").exists() and (logs / "claims.log").exists() and list((logs / "mig").rglob("*.log"))
