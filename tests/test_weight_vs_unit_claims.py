"""004 claims decided on hand-made tables whose answers are known."""

import math

import pandas as pd
import pytest

from prunebench.studies.weight_vs_unit import claims
from prunebench.studies.weight_vs_unit.claims import (
    accuracy_curve,
    all_claims,
    degrade_with_k,
    paired_gaps,
    significant_drop,
    sparse_forward_faster,
    unit_degrades_earlier,
    unit_eliminates_at_random,
    unit_pruning_fragile,
    weight_pruning_robust,
)

KS = (0, 25, 50, 80, 90, 99)


def t1(**curves) -> pd.DataFrame:
    """A 004-T1 table: variant -> {k: (mean %, std %)}; a std of None is a single seed (blank in T1)."""
    rows = []
    for variant, points in curves.items():
        for k, (mean, std) in points.items():
            rows.append(
                {
                    "variant": variant,
                    "k_percent": float(k),
                    "test_accuracy_mean": mean / 100,
                    "test_accuracy_std": math.nan if std is None else std / 100,
                }
            )
    return pd.DataFrame(rows)


def curve(means, std=0.2) -> dict:
    return {k: (m, std) for k, m in zip(KS, means, strict=True)}


ROBUST = curve([88, 88, 87.8, 87.5, 84, 40])  # weight pruning as the document describes it: first drop at 90
FRAGILE = curve([88, 87.5, 80, 60, 30, 10])  # unit pruning as the document describes it: first drop at 50


def one(table, variant, k):
    return significant_drop(accuracy_curve(table, variant), float(k))


@pytest.mark.parametrize(
    "dense, at_k, expected",
    [
        ((88, 0.2), (86.5, 0.2), True),  # 1.5 points, far beyond the spread
        ((88, 0.2), (87.1, 0.2), False),  # 0.9 points: under the 1-point floor
        ((88, 0.2), (86.0, 3.0), False),  # 2 points, inside the seed spread at k
        ((88, 2.5), (86.0, 0.1), False),  # 2 points, inside the seed spread of dense
        ((88, 2.5), (85.0, 0.1), True),  # 3 points: beyond both
        ((88, None), (86.5, None), True),  # one seed: no spread, the 1-point floor alone
    ],
)
def test_a_significant_drop_is_more_than_one_point_and_more_than_the_larger_seed_std(dense, at_k, expected):
    table = t1(unit={0: dense, 50: at_k})
    assert one(table, "unit", 50) is expected


def test_c1_holds_when_both_degrade_significantly_and_fall_with_k():
    assert degrade_with_k(t1(weight=ROBUST, unit=FRAGILE)).holds is True


def test_c1_needs_a_significant_drop_at_the_largest_k():
    inside_spread = curve([88, 87.9, 87.8, 87.6, 87.4, 86.0], std=2.5)  # falls monotonically, by 2 points < spread
    assert degrade_with_k(t1(weight=ROBUST, unit=inside_spread)).holds is False


def test_c1_needs_a_falling_trend():
    u_shaped = curve([88, 60, 40, 50, 70, 80])  # drops at the end but is no trend in k: Spearman 0.03
    assert degrade_with_k(t1(weight=ROBUST, unit=u_shaped)).holds is False


def evaluations(weight: dict, unit: dict) -> pd.DataFrame:
    """Per-seed evaluations: variant -> {k: [test accuracy % of seed 0, 1, ...]}."""
    rows = []
    for variant, points in (("weight", weight), ("unit", unit)):
        for k, accuracies in points.items():
            rows += [
                {"variant": variant, "k_percent": float(k), "seed": seed, "test_accuracy": a / 100}
                for seed, a in enumerate(accuracies)
            ]
    return pd.DataFrame(rows)


def paired(gaps_at: dict, base: float = 88.0) -> pd.DataFrame:
    """Weight at `base` at every k; unit below it by the given per-seed gaps (points)."""
    ks = {0: [0.0] * 3, 25: [0.0] * 3, **gaps_at, 90: [40.0] * 3}
    return evaluations({k: [base] * len(g) for k, g in ks.items()}, {k: [base - d for d in g] for k, g in ks.items()})


def test_c2_holds_when_the_paired_gap_is_significant_at_every_k_where_the_curves_part():
    claim = unit_degrades_earlier(paired({50: [5.0, 6.0, 7.0], 80: [20.0, 22.0, 21.0]}))
    assert claim.status == "holds"
    assert "k = 50%: 6.00" in claim.observed and "k = 80%: 21.00" in claim.observed


def test_c2_tests_only_the_ks_where_the_curves_part():
    """No gap at 25% and a huge one at 90% do not enter: only 50..80% does."""
    gaps = paired_gaps(paired({50: [5.0, 6.0, 7.0], 80: [20.0, 22.0, 21.0]}))
    assert gaps.loc[90.0, "mean"] == 40.0
    assert unit_degrades_earlier(paired({50: [0.1, 0.0, -0.1], 80: [20.0, 22.0, 21.0]})).status == "does not hold"


def test_c2_pairs_by_seed():
    """Seeds 10 points apart in both variants: unpaired, the spread would swamp a 3-point gap; paired it is exact."""
    weight = {0: [80, 90, 100], 50: [80, 90, 100], 80: [80, 90, 100]}
    unit = {0: [80, 90, 100], 50: [77, 87, 97], 80: [77, 87, 97]}
    gaps = paired_gaps(evaluations(weight, unit))
    assert gaps.loc[50.0, ["mean", "lower", "upper"]].tolist() == pytest.approx([3.0, 3.0, 3.0])
    assert unit_degrades_earlier(evaluations(weight, unit)).status == "holds"


def test_c2_is_inconclusive_when_the_gap_is_inside_the_seed_noise_floor():
    claim = unit_degrades_earlier(paired({50: [0.0, 10.0, 2.0], 80: [20.0, 22.0, 21.0]}))  # mean 4, t bound wide
    assert claim.status == "inconclusive" and claim.holds is False
    assert "inside the noise floor" in claim.reason and "50%" in claim.reason


def test_c2_does_not_hold_when_the_gap_is_shown_below_the_threshold_somewhere():
    claim = unit_degrades_earlier(paired({50: [0.0, 10.0, 2.0], 80: [0.2, 0.3, 0.1]}))
    assert claim.status == "does not hold"


def test_c2_needs_two_seeds():
    claim = unit_degrades_earlier(paired({50: [6.0], 80: [21.0]}))
    assert claim.status == "inconclusive" and "too few seeds" in claim.reason


def test_c2_is_not_tested_without_a_k_where_the_curves_part():
    gaps = evaluations({0: [88, 88], 90: [80, 80]}, {0: [88, 88], 90: [20, 20]})
    assert unit_degrades_earlier(gaps).status == "not tested"


def history(*val_accuracy):
    return pd.DataFrame({"epoch": range(len(val_accuracy)), "val_accuracy": val_accuracy})


def test_claims_on_runs_still_learning_or_with_one_seed_are_inconclusive():
    table = t1(weight=ROBUST, unit=FRAGILE)
    per_seed = paired({50: [5.0, 6.0, 7.0], 80: [20.0, 22.0, 21.0]})
    ks = ks_table((0.03, 0.05, 0.09))
    times = times_table([40, 30, 20, 8, 5, 1.5])
    converged = [history(0.1, 0.85, 0.852, 0.853)] * 3
    statuses = [c.status for c in all_claims(table, ks, times, 90.0, per_seed, converged)]
    assert statuses == ["holds"] * 6
    rising = [history(0.1, 0.80, 0.84, 0.86)] * 3
    statuses = [c.status for c in all_claims(table, ks, times, 90.0, per_seed, rising)]
    assert statuses == ["inconclusive"] * 5 + ["holds"], "C6 times the forward pass: no convergence needed"
    one_seed = per_seed[per_seed["seed"] == 0]
    claims_one_seed = all_claims(table, ks, times, 90.0, one_seed, converged)
    assert [c.status for c in claims_one_seed] == ["inconclusive"] * 4 + ["holds"] * 2
    assert all("too few seeds" in c.reason for c in claims_one_seed[:4])


@pytest.mark.parametrize("at_80, expected", [((87.5, 0.2), True), ((86.5, 0.2), False), ((86.5, 1.8), True)])
def test_c3_weight_pruning_is_robust_at_80_without_a_significant_drop(at_80, expected):
    table = t1(weight={**ROBUST, 80: at_80}, unit=FRAGILE)
    assert weight_pruning_robust(table).holds is expected


def test_c3_and_c4_are_not_tested_when_their_k_is_not_in_the_sweep():
    table = t1(weight={0: (88, 0.1), 90: (80, 0.1)}, unit={0: (88, 0.1), 90: (20, 0.1)})
    assert weight_pruning_robust(table).holds is None
    assert unit_pruning_fragile(table).holds is None


@pytest.mark.parametrize("at_50, expected", [((80, 0.2), True), ((87.5, 0.2), False), ((86.0, 2.5), False)])
def test_c4_unit_pruning_degrades_at_50_with_a_significant_drop(at_50, expected):
    table = t1(weight=ROBUST, unit={**FRAGILE, 50: at_50})
    assert unit_pruning_fragile(table).holds is expected


def test_c2_c3_c4_share_one_threshold(monkeypatch):
    """Raising the one constant moves every decision that uses it."""
    unit = curve([88, 87.8, 85.5, 84, 60, 20])  # 2.5 points at 50, 4 at 80
    weight = curve([88, 88, 87.8, 85, 80, 40])  # 3 points at 80, 8 at 90
    table = t1(weight=weight, unit=unit)
    per_seed = paired({50: [2.9, 3.0, 3.1], 80: [2.9, 3.0, 3.1]})
    assert (
        unit_degrades_earlier(per_seed).holds,
        weight_pruning_robust(table).holds,
        unit_pruning_fragile(table).holds,
    ) == (True, False, True)
    monkeypatch.setattr(claims, "SIGNIFICANT_DROP_POINTS", 5.0)
    assert (
        unit_degrades_earlier(per_seed).holds,
        weight_pruning_robust(table).holds,
        unit_pruning_fragile(table).holds,
    ) == (False, True, False)


def test_each_drop_claim_states_the_definition_and_the_seed_spread():
    table = t1(weight=ROBUST, unit=FRAGILE)
    for claim in (degrade_with_k(table), weight_pruning_robust(table), unit_pruning_fragile(table)):
        assert claims.SIGNIFICANT in claim.test
    assert "87.50 ± 0.20% at k = 80%" in weight_pruning_robust(table).observed


def ks_table(unit_ks, weight_ks=1.0):
    rows = [{"variant": "unit", "k_percent": 90.0, "layer": f"fc{i}", "ks_statistic": v} for i, v in enumerate(unit_ks)]
    rows += [
        {"variant": "weight", "k_percent": 90.0, "layer": f"fc{i}", "ks_statistic": weight_ks}
        for i in range(len(unit_ks))
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("unit_ks, expected", [((0.03, 0.05, 0.09), True), ((0.03, 0.05, 0.2), False)])
def test_c5_unit_pruning_eliminates_at_random_when_every_layer_is_below_the_ks_bound(unit_ks, expected):
    assert unit_eliminates_at_random(ks_table(unit_ks), 90.0).holds is expected


def times_table(coo_ms):
    rows = []
    for variant in ("weight", "unit"):
        for k, ms in zip(KS, coo_ms, strict=True):
            rows.append(
                {
                    "variant": variant,
                    "k_percent": float(k),
                    "execution": "coo",
                    "median_ms": ms,
                    "speedup_vs_dense": 2.0 / ms,
                }
            )
            rows.append(
                {
                    "variant": variant,
                    "k_percent": float(k),
                    "execution": "dense",
                    "median_ms": 2.0,
                    "speedup_vs_dense": 1.0,
                }
            )
    return pd.DataFrame(rows)


def test_c6_holds_when_coo_time_falls_with_k_whatever_the_speedup_over_dense():
    """The document says forward time falls with k; the former extra bar (> 2x faster than dense) is not its."""
    claim = sparse_forward_faster(times_table([40, 30, 20, 8, 5, 1.5]))  # 1.3x dense at k = 99%
    assert claim.holds is True
    assert "1.33x dense at k = 99%" in claim.observed


def test_c6_does_not_hold_when_coo_time_does_not_fall():
    assert sparse_forward_faster(times_table([5, 6, 5, 7, 6, 5])).holds is False


def test_c6_says_a_timing_is_outside_the_bitwise_rerun_guarantee():
    assert (
        "not covered by the bitwise rerun guarantee" in sparse_forward_faster(times_table([40, 30, 20, 8, 5, 1.5])).test
    )
