"""001 study library: per-run divergences and PD, the rank-correlation table and the claims, on synthetic runs and
hand-made tables whose answer is known."""

import copy
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
import yaml
from scipy.stats import spearmanr

from prunebench.config import ConfigError, validate_config
from prunebench.data import PreparedData
from prunebench.divergence import StudentTKL, ap2, group_mean
from prunebench.models import build_model
from prunebench.pruning import compute_masks, prunable_weights
from prunebench.studies.latent_kl.claims import MONOTONE, all_claims, ap3_separates_as_well, lowest_smallest
from prunebench.studies.latent_kl.divergences import dense_reference, run_divergences
from prunebench.studies.latent_kl.tables import (
    DIVERGENCES,
    PERMUTATIONS,
    chain_permutation_test,
    pair_concordance,
    rank_correlation_table,
    summary_table,
)
from prunebench.training import TrainConfig, evaluate, train

ROOT = Path(__file__).resolve().parents[1]
GAUSS = {"rho": 0.5, "scale": 1.0}
STUDENT = {"df": 4.0, "dims": 10, "samples": 2000, "seed": 0}
NAME = "classifier.out.weight"
REFERENCE = {"test": 0.9, "train": 0.95, "test_images": 100, "train_images": 50}
MODELS = {"m": {"arch": "small_cnn"}}


def _run(seed=0):
    g = torch.Generator().manual_seed(seed)
    dense = torch.randn(10, 20, generator=g)
    pruned = []
    for variant, shift in (("lowest", 0.01), ("random", 0.1), ("highest", 0.5)):
        for sparsity in (0.3, 0.8):
            size = shift * sparsity
            weights = [dense + size * (1 + e) * torch.ones_like(dense) for e in range(3)]
            acc = [0.9 - size * (1 + e) / 10 for e in range(3)]
            history = pd.DataFrame(
                {"epoch": [0, 1, 2], "test_eval_accuracy": acc, "train_eval_accuracy": [a + 0.05 for a in acc]}
            )
            pruned.append((variant, sparsity, history, {NAME: weights}))
    return run_divergences({NAME: dense}, REFERENCE, pruned, GAUSS, STUDENT, seed)


def test_run_divergences_aligns_weights_accuracies_and_pd():
    frame = _run()
    assert len(frame) == 3 * 2 * 3
    row = frame[(frame["variant"] == "random") & (frame["sparsity"] == 0.8) & (frame["epoch"] == 2)].iloc[0]
    size = 0.1 * 0.8 * 3
    assert row["ap2"] == pytest.approx(size**2 * 200, rel=1e-5)
    assert row["ap2_grouped"] == pytest.approx(size**2 * 10, rel=1e-5)  # 10 group means, each shifted by `size`
    assert row["pd_test"] == pytest.approx(size / 10) and row["pd_train"] == pytest.approx(size / 10)
    assert row["train_images"] == 50 and row["test_images"] == 100
    assert (frame["ap3_student_t_se"] > 0).all()


def test_mismatched_snapshots_fail():
    dense = torch.zeros(2, 60)
    history = pd.DataFrame({"epoch": [0, 1], "test_eval_accuracy": [0.5, 0.5], "train_eval_accuracy": [0.5, 0.5]})
    with pytest.raises(ValueError, match="snapshots"):
        run_divergences({NAME: dense}, REFERENCE, [("lowest", 0.1, history, {NAME: [dense]})], GAUSS, STUDENT, 0)


# Train-set PD: the dense and the pruned model on the same images, images both trained on.


def _data_the_model_gets_right_on_the_first(model, n, total=60, classes=3):
    """Training images whose labels are the model's own predictions for the first n and wrong ones after: the model's
    accuracy is 1 on the first n images and n / total on the whole training split."""
    g = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (total, 1, 4, 4), dtype=torch.uint8, generator=g)
    test_x = torch.randint(0, 256, (20, 1, 4, 4), dtype=torch.uint8, generator=g)
    predicted = model.eval()(x.float() / 255).argmax(1)
    y = torch.where(torch.arange(total) < n, predicted, (predicted + 1) % classes)
    return PreparedData(
        train_x=x,
        train_y=y,
        val_x=test_x,
        val_y=torch.zeros(20, dtype=torch.int64),
        test_x=test_x,
        test_y=torch.arange(20) % classes,
        classes=[str(c) for c in range(classes)],
        source="hand-made",
    )


def test_dense_and_pruned_train_accuracies_are_measured_on_the_same_images():
    """Sparsity 0 and no update (the pruned model is the dense one): PD must be exactly 0 on both splits. A dense
    reference measured on the whole training split (the old way: 1/3 here) instead of the fine-tuning's 20 images
    (1.0) would give PD_train = 2/3."""
    torch.manual_seed(0)
    model = build_model("mlp", (1, 4, 4), 3, hidden=[8])
    data = _data_the_model_gets_right_on_the_first(model, n=20)
    finetune = TrainConfig(epochs=0, train_subset=20, track=("test", "train"))
    assert evaluate(model, data.train_x, data.train_y)["accuracy"] == pytest.approx(
        1 / 3
    )  # the test can tell them apart
    reference = dense_reference(model, data, finetune)
    assert reference["train"] == 1.0 and reference["train_images"] == 20 and reference["test_images"] == 20

    ((name, weight),) = prunable_weights(model, "last").items()
    dense_state = {name: weight.detach().clone()}
    history = pd.DataFrame(train(copy.deepcopy(model), data, finetune, seed=0, stage="finetune").history)
    frame = run_divergences(
        dense_state,
        reference,
        [("lowest", 0.0, history, {name: [weight.detach().clone()]})],
        GAUSS,
        {**STUDENT, "dims": 4},
        0,
    )
    assert frame.loc[0, "train_accuracy"] == frame.loc[0, "dense_train_accuracy"] == 1.0
    assert frame.loc[0, "pd_train"] == 0.0 and frame.loc[0, "pd_test"] == 0.0


def _latent_kl_config(train_subset, finetune_subset, per_model=None):
    config = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())
    kl = config["studies"]["latent_kl"]
    kl["train"]["train_subset"], kl["finetune"]["train_subset"] = train_subset, finetune_subset
    if per_model:
        kl["per_model"] = per_model
    return config


@pytest.mark.parametrize(
    "train_subset,finetune_subset,per_model",
    [(500, 600, None), (500, None, None), (500, 400, {"small_cnn": {"finetune": {"train_subset": 800}}})],
)
def test_the_fine_tuning_images_must_be_among_the_dense_training_images(train_subset, finetune_subset, per_model):
    with pytest.raises(ConfigError, match=r"studies\.latent_kl\.finetune\.train_subset"):
        validate_config(
            _latent_kl_config(train_subset, finetune_subset, per_model), ROOT / "workflow/schemas/config.schema.yaml"
        )


@pytest.mark.parametrize("train_subset,finetune_subset", [(None, None), (None, 600), (600, 600), (600, 300)])
def test_fine_tuning_on_the_dense_images_or_fewer_is_valid(train_subset, finetune_subset):
    validate_config(_latent_kl_config(train_subset, finetune_subset), ROOT / "workflow/schemas/config.schema.yaml")


# Tables and claims.


def test_pair_concordance_counts_matching_orders():
    cell = pd.DataFrame(
        {
            "dataset": "d",
            "model": "m",
            "sparsity": 0.5,
            "epoch": 0,
            "variant": ["a", "b", "c"],
            "ap2_mean": [1.0, 2.0, 3.0],
            "pd_test_mean": [0.1, 0.3, 0.2],
        }
    )
    assert pair_concordance(cell, "ap2", "test") == pytest.approx(2 / 3)
    cell["pd_test_mean"] = [0.1, 0.1, 0.2]  # a PD tie counts one half
    assert pair_concordance(cell, "ap2", "test") == pytest.approx(2.5 / 3)


def test_tables_and_claims_on_a_monotone_synthetic_study():
    frame = pd.concat([_run(seed).assign(dataset="d", model="m") for seed in (0, 1)], ignore_index=True)
    summary = summary_table(frame)
    assert summary["n_seeds"].eq(2).all() and summary["train_images"].eq(50).all()
    rank = rank_correlation_table(summary, frame, MODELS)
    assert len(rank) == 2 * len(DIVERGENCES)
    assert dict(zip(rank["split"], rank["images"])) == {"test": 100, "train": 50}
    ap2_test = rank[(rank["divergence"] == "AP2") & (rank["split"] == "test")].iloc[0]
    assert ap2_test["spearman"] == pytest.approx(1.0) and ap2_test["method_pair_concordance"] == 1.0
    assert ap2_test["chains"] == 6 and ap2_test["permutations"] == math.factorial(6)  # exact: 720 <= 10,000
    assert ap2_test["chain_permutation_p"] == pytest.approx(1 / 720)  # only the identity pairs the chains this well
    t_test = rank[(rank["divergence"] == "AP3 Student-T") & (rank["split"] == "test")].iloc[0]
    assert (
        t_test["spearman_with_ap2_grouped"] > 0.9
    )  # below 1 by the Monte-Carlo error of 2,000 samples at tiny distances
    claims = {c.claim_id: c for c in all_claims(summary, rank)}
    assert claims["001-C1"].holds and claims["001-C2"].holds and claims["001-C4"].holds
    assert claims["001-C7"].holds is False  # PD grows with the epoch in this synthetic study


# 001-C1: the AP2 half is true by construction; the PD half decides.


def test_lowest_magnitude_mask_minimizes_ap2_among_masks_of_its_size():
    torch.manual_seed(0)
    model = build_model("small_cnn", (1, 28, 28), 10, channels=[4], hidden=30)
    ((name, weight),) = prunable_weights(model, "last").items()
    g = torch.Generator().manual_seed(1)
    for sparsity in (0.1, 0.5, 0.8):
        lowest = ap2(weight, weight * compute_masks(model, "lowest", sparsity, layers="last")[name])
        removed = round(sparsity * weight.numel())
        for _ in range(200):
            mask = torch.ones(weight.numel())
            mask[torch.randperm(weight.numel(), generator=g)[:removed]] = 0
            assert lowest <= ap2(weight, weight * mask.view_as(weight)) + 1e-12


def _b2(ap2_by_variant, pd_by_variant, sparsities=(0.3, 0.8), epochs=2):
    """A one-(dataset, model) 001-B2 table: per variant, the same AP2 and test PD at every sparsity and epoch."""
    rows = [
        {
            "dataset": "d",
            "model": "m",
            "variant": v,
            "sparsity": s,
            "epoch": e,
            "ap2_mean": ap2_by_variant[v],
            "pd_test_mean": pd_by_variant[v],
        }
        for v in ap2_by_variant
        for s in sparsities
        for e in range(epochs)
    ]
    return pd.DataFrame(rows)


def test_claim_c1_is_decided_by_the_pd_half():
    ap2_lowest_smallest = {"lowest": 1.0, "random": 2.0, "highest": 3.0}
    pd_lowest_smallest = {"lowest": 0.01, "random": 0.02, "highest": 0.03}
    pd_random_smallest = {"lowest": 0.02, "random": 0.01, "highest": 0.03}
    assert lowest_smallest(_b2(ap2_lowest_smallest, pd_lowest_smallest)).holds is True
    claim = lowest_smallest(_b2(ap2_lowest_smallest, pd_random_smallest))
    assert claim.holds is False and "by construction" in claim.test
    assert "smallest test PD in 0/2" in claim.observed and "right after pruning in 2/2" in claim.observed


# 001-C4 / C5: whole chains permuted, not 48 points taken as independent.


def _chain_b2(x, y, epochs):
    """A one-(dataset, model) 001-B2 table from chains x epochs arrays: every divergence = x, test and train PD = y."""
    chain_keys = list(itertools.product(("lowest", "highest", "random"), (0.1, 0.3, 0.5, 0.8)))[: len(x)]
    rows = []
    for c, (variant, sparsity) in enumerate(chain_keys):
        for e in range(epochs):
            row = {
                "dataset": "d",
                "model": "m",
                "test_images": 100,
                "train_images": 50,
                "variant": variant,
                "sparsity": sparsity,
                "epoch": e,
                "failed": "",
            }
            row.update({f"{d}_mean": x[c, e] for d in DIVERGENCES})
            row.update({"pd_test_mean": y[c, e], "pd_train_mean": y[c, e]})
            rows.append(row)
    return pd.DataFrame(rows)


def _runs_of(summary):
    return summary.rename(columns={f"{d}_mean": d for d in DIVERGENCES})


def test_chain_permutation_test_matches_spearman_and_counts_exactly_when_few_chains():
    x = np.arange(4)[:, None] + 0.01 * np.arange(5)[None, :]  # 4 chains, 5 epochs; y ranks the chains alike
    y = 2 * np.arange(4)[:, None] + 0.05 * np.arange(5)[None, :]
    result = chain_permutation_test(x, y)
    assert result["spearman"] == pytest.approx(spearmanr(x.ravel(), y.ravel()).statistic)
    assert result["permutations"] == 24 and result["chain_permutation_p"] == pytest.approx(1 / 24)


def test_chain_permutation_p_reaches_its_floor_when_the_chains_agree():
    x = np.arange(12)[:, None] + 0.1 * np.arange(4)[None, :]
    result = chain_permutation_test(x, x**2)
    assert result["permutations"] == PERMUTATIONS
    assert result["chain_permutation_p"] <= 2 / (1 + PERMUTATIONS)
    assert result["epoch_spearman_min"] == pytest.approx(1.0)


def test_claims_c4_c5_do_not_hold_on_a_shared_trend_that_the_pooled_pvalue_calls_significant():
    """12 chains x 4 epochs in which divergence and PD both grow with the epoch, while the chain whose divergence is
    higher has the lower PD: the pooled Spearman of the 48 points is high and its i.i.d. p-value tiny, but pairing
    the chains differently does as well, so the chain-permutation test finds nothing."""
    level = np.linspace(0, 1, 12)[:, None]
    epoch = np.arange(4)[None, :]
    x, y = 10.0 * epoch + level, 10.0 * epoch + (1 - level)
    pooled = spearmanr(x.ravel(), y.ravel())
    assert pooled.statistic > 0.85 and pooled.pvalue < 1e-12  # what the old test decided on
    summary = _chain_b2(x, y, epochs=4)
    rank = rank_correlation_table(summary, _runs_of(summary), MODELS)
    assert (rank["chain_permutation_p"] > 0.5).all() and np.allclose(rank["epoch_spearman_max"], -1.0)
    claims = {c.claim_id: c for c in all_claims(summary, rank)}
    assert claims["001-C4"].holds is False and claims["001-C5"].holds is False
    assert "chain-permutation p=" in claims["001-C4"].observed


def test_claims_c4_c5_hold_when_the_chains_themselves_agree():
    level = np.linspace(0, 1, 12)[:, None]
    x = level + 0.01 * np.arange(4)[None, :]
    summary = _chain_b2(x, 2 * x, epochs=4)
    rank = rank_correlation_table(summary, _runs_of(summary), MODELS)
    claims = {c.claim_id: c for c in all_claims(summary, rank)}
    assert claims["001-C4"].holds is True and claims["001-C5"].holds is True


# 001-C3: with one df and the identity scale, AP3-T orders pairs as the grouped squared distance.


def test_student_t_kl_orders_pairs_as_the_grouped_squared_distance():
    """Means differing in random directions and sizes: the Monte-Carlo KL (common random numbers) has the same ranks
    as |mu_p - mu_q|^2, and equal norms in different directions give the same KL within Monte-Carlo error."""
    g = torch.Generator().manual_seed(0)
    dense = torch.randn(20, 50, generator=g)
    pruned = [dense * (torch.rand(dense.shape, generator=g) > torch.rand(()).item()) for _ in range(30)]
    mu, mus = group_mean(dense, 100), torch.stack([group_mean(w, 100) for w in pruned])
    estimator = StudentTKL(100, df=4.0, samples=100_000, seed=0)
    kl = [v for v, _ in estimator.estimate_many(mu, mus)]
    distance = [ap2(mu, m) for m in mus]
    assert spearmanr(kl, distance).statistic >= MONOTONE
    direction = torch.randn(100, generator=g)
    (a, se_a), (b, se_b) = estimator.estimate_many(mu, torch.stack([mu + direction, mu + direction.flip(0)]))
    assert abs(a - b) < 3 * (se_a + se_b)


def _c3_b1(concordance, rho_grouped):
    """A hand-made 001-B1 with the columns claim 001-C3 reads, one dataset and model."""
    rows = [
        {
            "dataset": "d",
            "model": "m",
            "split": split,
            "divergence": DIVERGENCES[d],
            "method_pair_concordance": c,
            "spearman_with_ap2_grouped": rho_grouped,
        }
        for split in ("test", "train")
        for d, c in concordance.items()
    ]
    return pd.DataFrame(rows)


def test_claim_c3_compares_concordances_and_says_what_ap3_adds():
    claim = ap3_separates_as_well(_c3_b1({"ap2": 0.9, "ap3_student_t": 0.8, "ap2_grouped": 0.8}, 0.999))
    assert claim.holds is False
    assert "Spearman of AP3-T with the grouped squared distance 0.999" in claim.observed
    assert "adds nothing to the grouped squared distance" in claim.observed and "grouping of the weights" in claim.test
    claim = ap3_separates_as_well(_c3_b1({"ap2": 0.8, "ap3_student_t": 0.9, "ap2_grouped": 0.9}, 0.9))
    assert claim.holds is True and "departs from the grouped squared distance" in claim.observed
