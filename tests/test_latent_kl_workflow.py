"""End to end: study 001 (latent_kl) on configs/smoke.yaml through the real Snakemake workflow."""
import json

import pandas as pd
import pytest
from PIL import Image

pytestmark = pytest.mark.workflow

FIGURES = [
    "001-F2_ap2_pd_test",
    "001-F7_ap2_pd_train",
    "001-F4_ap3_student_t_pd_test",
    "001-F12_ap3_student_t_pd_train",
    "001-F11_ap3_gaussian_pd_test",
    "001-F11_ap3_gaussian_pd_train",
    "001-F17_ap2_vs_ap3",
]


def test_every_001_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results" / "latent_kl"
    runs = pd.read_csv(study / "runs/digits/small_cnn/seed0/kl_divergences.csv")
    assert set(runs["variant"]) == {"lowest", "highest", "random"}
    assert sorted(set(runs["sparsity"])) == [0.3, 0.8]
    assert sorted(set(runs["epoch"])) == [0, 1, 2]  # epoch 0 = right after pruning, then 2 fine-tuning epochs
    assert (runs["ap2"] > 0).all() and (runs["ap3_gaussian"] > 0).all() and (runs["ap3_student_t_se"] > 0).all()
    assert ((runs["pd_test"] - (runs["dense_test_accuracy"] - runs["test_accuracy"]).abs()).abs() < 1e-12).all()
    # Right after pruning, removing the smallest weights is the smallest change of the weight vector.
    first = runs[runs["epoch"] == 0].pivot(index="sparsity", columns="variant", values="ap2")
    assert (first["lowest"] < first["random"]).all() and (first["random"] < first["highest"]).all()
    record = json.loads((study / "runs/digits/small_cnn/seed0/kl_divergences.json").read_text())
    assert len(record["values"]) == len(runs) and "provenance" in record

    rank = pd.read_csv(study / "001-B1_rank_correlation.csv")
    assert len(rank) == 2 * 3  # splits x divergences for the one dataset and model
    assert rank["spearman"].between(-1, 1).all() and rank["kendall"].between(-1, 1).all()
    assert set(rank["init"]) == {"from scratch"}
    summary = pd.read_csv(study / "001-B2_divergence_pd.csv")
    assert len(summary) == 3 * 2 * 3 and "ap3_student_t_se_mean" in summary

    claims = pd.read_csv(study / "001-claims.csv")
    assert list(claims["claim_id"]) == [f"001-C{i}" for i in range(1, 8)]
    assert set(claims["holds"]) <= {"holds", "does not hold", "not tested"}
    for name in ("001-B1_rank_correlation", "001-B2_divergence_pd", "001-claims"):
        assert (study / f"{name}.md").read_text().count("\n|") >= 3

    for name in FIGURES:
        with Image.open(study / f"{name}_digits-small_cnn.png") as image:
            image.verify()
            assert min(image.size) > 200
        assert (study / f"{name}_digits-small_cnn.pdf").read_bytes().startswith(b"%PDF")
    assert (smoke_run / "logs/latent_kl/runs/digits/small_cnn/seed0/kl_divergences.log").exists()
