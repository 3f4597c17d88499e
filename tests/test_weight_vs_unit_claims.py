"""004 claims decided on hand-made tables whose answers are known."""
import math

import pandas as pd
import pytest

from prunebench.studies.weight_vs_unit import claims
from prunebench.studies.weight_vs_unit.claims import (
    accuracy_curve,
    degrade_with_k,
    first_significant_k,
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
                {"variant": variant, "k_percent": float(k), "test_accuracy_mean": mean / 100,
                 "test_accuracy_std": math.nan if std is None else std / 100}
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


def test_the_first_significant_k_skips_dense_and_is_inf_without_a_drop():
    assert first_significant_k(accuracy_curve(t1(weight=ROBUST), "weight")) == 90
    assert first_significant_k(accuracy_curve(t1(unit=FRAGILE), "unit")) == 50
    assert first_significant_k(accuracy_curve(t1(weight=curve([88] * 6)), "weight")) == math.inf


def test_c1_holds_when_both_degrade_significantly_and_fall_with_k():
    assert degrade_with_k(t1(weight=ROBUST, unit=FRAGILE)).holds is True


def test_c1_needs_a_significant_drop_at_the_largest_k():
    inside_spread = curve([88, 87.9, 87.8, 87.6, 87.4, 86.0], std=2.5)  # falls monotonically, by 2 points < spread
    assert degrade_with_k(t1(weight=ROBUST, unit=inside_spread)).holds is False


def test_c1_needs_a_falling_trend():
    u_shaped = curve([88, 60, 40, 50, 70, 80])  # drops at the end but is no trend in k: Spearman 0.03
    assert degrade_with_k(t1(weight=ROBUST, unit=u_shaped)).holds is False


def test_c2_holds_when_unit_drops_significantly_at_a_smaller_k():
    claim = unit_degrades_earlier(t1(weight=ROBUST, unit=FRAGILE))
    assert claim.holds is True
    assert "unit 50%, weight 90%" in claim.observed


def test_c2_counts_a_two_point_drop_as_c3_and_c4_do():
    """The old C2 needed 5 points while C3/C4 needed 1: unit losing 2 points at 50% (weight only at 90%) was then
    "fragile at 50%" for C4 but not "degrading earlier" for C2."""
    unit = curve([88, 87.8, 86, 85, 84, 40])
    table = t1(weight=ROBUST, unit=unit)
    assert unit_pruning_fragile(table).holds is True
    assert unit_degrades_earlier(table).holds is True


def test_c2_does_not_hold_when_the_earlier_unit_drop_is_inside_the_seed_spread():
    """One seed's curve can show unit dropping first by chance: with the spread it is no significant drop."""
    weight = curve([88, 88, 87.8, 86.5, 84, 40], std=0.5)  # first significant drop at 80
    unit = {**curve([88, 88, 86.5, 86.0, 84, 20], std=0.5), 50: (86.5, 2.0)}  # 1.5 points at 50, but std 2
    table = t1(weight=weight, unit=unit)
    assert first_significant_k(accuracy_curve(table, "unit")) == 80
    assert unit_degrades_earlier(table).holds is False


def test_c2_does_not_hold_when_both_first_drop_at_the_same_k():
    assert unit_degrades_earlier(t1(weight=FRAGILE, unit=FRAGILE)).holds is False


def test_c2_does_not_hold_when_neither_drops():
    flat = curve([88] * 6)
    claim = unit_degrades_earlier(t1(weight=flat, unit=flat))
    assert claim.holds is False
    assert "unit none, weight none" in claim.observed


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
    assert (unit_degrades_earlier(table).holds, weight_pruning_robust(table).holds, unit_pruning_fragile(table).holds) == (True, False, True)
    monkeypatch.setattr(claims, "SIGNIFICANT_DROP_POINTS", 5.0)
    assert (unit_degrades_earlier(table).holds, weight_pruning_robust(table).holds, unit_pruning_fragile(table).holds) == (False, True, False)


def test_each_drop_claim_states_the_definition_and_the_seed_spread():
    table = t1(weight=ROBUST, unit=FRAGILE)
    for claim in (degrade_with_k(table), unit_degrades_earlier(table), weight_pruning_robust(table), unit_pruning_fragile(table)):
        assert claims.SIGNIFICANT in claim.test
    assert "87.50 ± 0.20% at k = 80%" in weight_pruning_robust(table).observed


def ks_table(unit_ks, weight_ks=1.0):
    rows = [{"variant": "unit", "k_percent": 90.0, "layer": f"fc{i}", "ks_statistic": v} for i, v in enumerate(unit_ks)]
    rows += [{"variant": "weight", "k_percent": 90.0, "layer": f"fc{i}", "ks_statistic": weight_ks} for i in range(len(unit_ks))]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("unit_ks, expected", [((0.03, 0.05, 0.09), True), ((0.03, 0.05, 0.2), False)])
def test_c5_unit_pruning_eliminates_at_random_when_every_layer_is_below_the_ks_bound(unit_ks, expected):
    assert unit_eliminates_at_random(ks_table(unit_ks), 90.0).holds is expected


def times_table(coo_ms):
    rows = []
    for variant in ("weight", "unit"):
        for k, ms in zip(KS, coo_ms, strict=True):
            rows.append({"variant": variant, "k_percent": float(k), "execution": "coo", "median_ms": ms, "speedup_vs_dense": 2.0 / ms})
            rows.append({"variant": variant, "k_percent": float(k), "execution": "dense", "median_ms": 2.0, "speedup_vs_dense": 1.0})
    return pd.DataFrame(rows)


def test_c6_holds_when_coo_time_falls_with_k_whatever_the_speedup_over_dense():
    """The document says forward time falls with k; the former extra bar (> 2x faster than dense) is not its."""
    claim = sparse_forward_faster(times_table([40, 30, 20, 8, 5, 1.5]))  # 1.3x dense at k = 99%
    assert claim.holds is True
    assert "1.33x dense at k = 99%" in claim.observed


def test_c6_does_not_hold_when_coo_time_does_not_fall():
    assert sparse_forward_faster(times_table([5, 6, 5, 7, 6, 5])).holds is False


def test_c6_says_a_timing_is_outside_the_bitwise_rerun_guarantee():
    assert "not covered by the bitwise rerun guarantee" in sparse_forward_faster(times_table([40, 30, 20, 8, 5, 1.5])).test

