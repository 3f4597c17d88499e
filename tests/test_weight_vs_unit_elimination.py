import pytest

from prunebench.pruning import compute_masks
from prunebench.studies.weight_vs_unit.elimination import elimination_stats


def test_ks_is_one_for_magnitude_pruning_and_small_for_random(small_mlp):
    weights = dict(small_mlp.named_parameters())
    by_magnitude = elimination_stats(weights, compute_masks(small_mlp, "lowest", 0.5))
    at_random = elimination_stats(weights, compute_masks(small_mlp, "random", 0.5, seed=3))
    assert all(row["ks_statistic"] == pytest.approx(1.0) for row in by_magnitude)
    assert all(row["ks_statistic"] < 0.35 for row in at_random)
    assert all(row["mean_abs_eliminated"] < row["mean_abs_surviving"] for row in by_magnitude)
