"""End to end: study 001 (latent_kl) on configs/smoke.yaml through the real Snakemake workflow."""

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from PIL import Image

from prunebench.claims import STATUSES
from prunebench.data import load_prepared
from prunebench.models import load_checkpoint
from prunebench.training import evaluate

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


SMOKE = yaml.safe_load((Path(__file__).resolve().parents[1] / "configs/smoke.yaml").read_text())["studies"]["latent_kl"]


def test_train_set_pd_compares_dense_and_pruned_on_the_fine_tuning_images(smoke_run):
    """Both train accuracies of PD, recomputed here on the first finetune.train_subset training images (a part of
    the dense training's images): the dense model's and the fine-tuned model's (its last epoch, select: last)."""
    n = SMOKE["finetune"]["train_subset"]
    data = load_prepared(smoke_run / "results/data/digits.pt")
    assert n < len(data.train_y) and SMOKE["train"].get("train_subset") is None  # fewer than the dense training's
    run = smoke_run / "results/latent_kl/runs/digits/small_cnn/seed0"
    runs = pd.read_csv(run / "kl_divergences.csv")
    assert (runs["train_images"] == n).all() and (runs["test_images"] == len(data.test_y)).all()
    dense, _ = load_checkpoint(run / "dense/model.pt")
    assert (runs["dense_train_accuracy"] == evaluate(dense, data.train_x[:n], data.train_y[:n])["accuracy"]).all()
    last = runs[(runs["variant"] == "random") & (runs["sparsity"] == 0.8)].sort_values("epoch").iloc[-1]
    tuned, _ = load_checkpoint(run / "random/sparsity0.8/finetuned.pt")
    assert last["train_accuracy"] == evaluate(tuned, data.train_x[:n], data.train_y[:n])["accuracy"]


def test_every_001_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results" / "latent_kl"
    runs = pd.read_csv(study / "runs/digits/small_cnn/seed0/kl_divergences.csv")
    assert set(runs["variant"]) == {"lowest", "highest", "random"}
    assert sorted(set(runs["sparsity"])) == [0.3, 0.8]
    assert sorted(set(runs["epoch"])) == [0, 1, 2]  # epoch 0 = right after pruning, then 2 fine-tuning epochs
    assert (runs["ap2"] > 0).all() and (runs["ap2_grouped"] > 0).all() and (runs["ap3_gaussian"] > 0).all()
    assert (runs["ap3_student_t_se"] > 0).all()
    assert ((runs["pd_test"] - (runs["dense_test_accuracy"] - runs["test_accuracy"]).abs()).abs() < 1e-12).all()
    # Right after pruning, removing the smallest weights is the smallest change of the weight vector.
    first = runs[runs["epoch"] == 0].pivot(index="sparsity", columns="variant", values="ap2")
    assert (first["lowest"] < first["random"]).all() and (first["random"] < first["highest"]).all()
    record = json.loads((study / "runs/digits/small_cnn/seed0/kl_divergences.json").read_text())
    assert len(record["values"]) == len(runs) and "provenance" in record

    rank = pd.read_csv(study / "001-B1_rank_correlation.csv")
    assert (
        len(rank) == 2 * 4
    )  # splits x divergences (AP2, grouped AP2, AP3 Gaussian, AP3 Student-T), one dataset and model
    assert rank["spearman"].between(-1, 1).all() and rank["kendall"].between(-1, 1).all()
    assert set(rank["init"]) == {"from scratch"}
    assert dict(zip(rank["split"], rank["images"])) == {
        "test": runs["test_images"].iloc[0],
        "train": SMOKE["finetune"]["train_subset"],
    }
    # 6 chains of 3 epochs: every one of the 6! pairings of the chains is tried
    assert (rank["chains"] == 6).all() and (rank["points"] == 18).all() and (rank["permutations"] == 720).all()
    assert rank["chain_permutation_p"].between(1 / 720, 1).all()
    assert rank["spearman_with_ap2_grouped"].between(-1, 1).all()
    summary = pd.read_csv(study / "001-B2_divergence_pd.csv")
    assert len(summary) == 3 * 2 * 3 and {"ap3_student_t_se_mean", "ap2_grouped_mean", "train_images"} <= set(summary)

    claims = pd.read_csv(study / "001-claims.csv")
    assert list(claims["claim_id"]) == [f"001-C{i}" for i in range(1, 8)]
    assert set(claims["holds"]) <= set(STATUSES)
    tests = claims.set_index("claim_id")["test"]
    assert "by construction" in tests["001-C1"] and "grouped" in tests["001-C3"] and "permut" in tests["001-C4"]
    for name in ("001-B1_rank_correlation", "001-B2_divergence_pd", "001-claims"):
        assert (study / f"{name}.md").read_text().count("\n|") >= 3

    for name in FIGURES:
        with Image.open(study / f"{name}_digits-small_cnn.png") as image:
            image.verify()
            assert min(image.size) > 200
        assert (study / f"{name}_digits-small_cnn.pdf").read_bytes().startswith(b"%PDF")
    assert (smoke_run / "logs/latent_kl/runs/digits/small_cnn/seed0/kl_divergences.log").exists()
