"""001 study library: per-run divergences and PD, the rank-correlation table and the claims, on synthetic runs."""
import pandas as pd
import pytest
import torch

from prunebench.studies.latent_kl.claims import all_claims
from prunebench.studies.latent_kl.divergences import run_divergences
from prunebench.studies.latent_kl.tables import pair_concordance, rank_correlation_table, summary_table

GAUSS = {"rho": 0.5, "scale": 1.0}
STUDENT = {"df": 4.0, "dims": 10, "samples": 2000, "seed": 0}
NAME = "classifier.out.weight"


def _run(seed=0):
    g = torch.Generator().manual_seed(seed)
    dense = torch.randn(10, 20, generator=g)
    metrics = {"test": {"accuracy": 0.9}, "train": {"accuracy": 0.95}}
    pruned = []
    for variant, shift in (("lowest", 0.01), ("random", 0.1), ("highest", 0.5)):
        for sparsity in (0.3, 0.8):
            size = shift * sparsity
            weights = [dense + size * (1 + e) * torch.ones_like(dense) for e in range(3)]
            acc = [0.9 - size * (1 + e) / 10 for e in range(3)]
            history = pd.DataFrame({"epoch": [0, 1, 2], "test_eval_accuracy": acc, "train_eval_accuracy": [a + 0.05 for a in acc]})
            pruned.append((variant, sparsity, history, {NAME: weights}))
    return run_divergences({NAME: dense}, metrics, pruned, GAUSS, STUDENT, seed)


def test_run_divergences_aligns_weights_accuracies_and_pd():
    frame = _run()
    assert len(frame) == 3 * 2 * 3
    row = frame[(frame["variant"] == "random") & (frame["sparsity"] == 0.8) & (frame["epoch"] == 2)].iloc[0]
    size = 0.1 * 0.8 * 3
    assert row["ap2"] == pytest.approx(size**2 * 200, rel=1e-5)
    assert row["pd_test"] == pytest.approx(size / 10) and row["pd_train"] == pytest.approx(size / 10)
    assert (frame["ap3_student_t_se"] > 0).all()


def test_mismatched_snapshots_fail():
    dense = torch.zeros(2, 60)
    history = pd.DataFrame({"epoch": [0, 1], "test_eval_accuracy": [0.5, 0.5], "train_eval_accuracy": [0.5, 0.5]})
    with pytest.raises(ValueError, match="snapshots"):
        run_divergences({NAME: dense}, {"test": {"accuracy": 1}, "train": {"accuracy": 1}}, [("lowest", 0.1, history, {NAME: [dense]})], GAUSS, STUDENT, 0)


def test_pair_concordance_counts_matching_orders():
    cell = pd.DataFrame(
        {"dataset": "d", "model": "m", "sparsity": 0.5, "epoch": 0, "variant": ["a", "b", "c"], "ap2_mean": [1.0, 2.0, 3.0], "pd_test_mean": [0.1, 0.3, 0.2]}
    )
    assert pair_concordance(cell, "ap2", "test") == pytest.approx(2 / 3)
    cell["pd_test_mean"] = [0.1, 0.1, 0.2]  # a PD tie counts one half
    assert pair_concordance(cell, "ap2", "test") == pytest.approx(2.5 / 3)


def test_tables_and_claims_on_a_monotone_synthetic_study():
    frame = pd.concat([_run(seed).assign(dataset="d", model="m") for seed in (0, 1)], ignore_index=True)
    summary = summary_table(frame)
    assert summary["n_seeds"].eq(2).all()
    rank = rank_correlation_table(summary, {"m": {"arch": "small_cnn"}})
    ap2_test = rank[(rank["divergence"] == "AP2") & (rank["split"] == "test")].iloc[0]
    assert ap2_test["spearman"] == pytest.approx(1.0) and ap2_test["method_pair_concordance"] == 1.0
    claims = {c.claim_id: c for c in all_claims(summary, rank)}
    assert claims["001-C1"].holds and claims["001-C2"].holds and claims["001-C4"].holds
    assert claims["001-C7"].holds is False  # PD grows with the epoch in this synthetic study

