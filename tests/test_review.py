"""003 part 1: the claim decisions on hand-made tables with known answers, the curves they read, the tables, and the
shipped State of Sparsity results."""

import math

import pandas as pd
import pytest

from prunebench.studies.review.claims import (
    MARGIN_POINTS,
    Curve,
    all_claims,
    beats,
    beats_everywhere,
    beats_until_highest,
    compared,
    low_mid_and_highest,
    published_curves,
    run_curves,
)
from prunebench.studies.review.published import DATA, best_runs, load_published
from prunebench.studies.review.tables import NAMES, cost_table

TARGETS = [0.5, 0.8, 0.9, 0.98]


def runs_table(
    accuracy: dict[str, list[float]], model="m", seeds=(0, 1), spread=0.0, sparsity=None, ms=None
) -> pd.DataFrame:
    """Runs whose seeds differ by +-spread around the given accuracies, at the targets as achieved sparsity (or at
    `sparsity[technique]`)."""
    rows = []
    for technique, values in accuracy.items():
        for i, (target, value) in enumerate(zip(TARGETS, values)):
            for k, seed in enumerate(seeds):
                achieved = (sparsity or {}).get(technique, TARGETS)[i]
                rows.append(
                    {
                        "model": model,
                        "technique": technique,
                        "target": target,
                        "seed": seed,
                        "failed": "",
                        "achieved_sparsity": achieved,
                        "test_accuracy": value + (spread if k else -spread),
                        "val_accuracy": value,
                        "steps": 100,
                        "seconds": 1.0,
                        "ms_per_step": (ms or {}).get(technique, 1.0),
                    }
                )
    return pd.DataFrame(rows)


def curve(points, std=0.0):
    xs, ys = zip(*points)
    return Curve(pd.Series(xs).to_numpy(), pd.Series(ys).to_numpy(), pd.Series([std] * len(xs)).to_numpy())


def test_curves_interpolate_in_log_remaining_between_points_and_never_beyond():
    c = curve([(0.5, 90.0), (0.9, 80.0)])
    midway = 1 - (0.5 * 0.1) ** 0.5  # 22.4% remaining: halfway between 50 and 10% in log(1 - s)
    assert c.at(midway) == pytest.approx((85.0, 0.0))
    assert c.at(0.7)[0] == pytest.approx(
        90.0 - 10.0 * math.log(0.5 / 0.3) / math.log(5)
    )  # not 85, as linear in s reads
    assert c.at(0.5) == (90.0, 0.0) and c.at(0.95) is None and c.at(0.4) is None


def test_the_stretch_of_a_reading_is_the_ratio_of_weights_remaining_to_the_nearest_point():
    c = curve([(0.5, 90.0), (0.9, 80.0)])
    assert c.stretch(0.5) == 1.0 and c.stretch(0.9) == pytest.approx(1.0)
    assert c.stretch(1 - (0.5 * 0.1) ** 0.5) == pytest.approx(5**0.5)
    assert c.stretch(0.8) == pytest.approx(2.0)  # 20% remaining, nearest point 10%
    curves = {
        "magnitude": curve([(0.5, 80.0), (0.8, 75.0), (0.9, 70.0)]),
        "variational_dropout": curve([(0.5, 81.0), (0.9, 71.0)]),
    }
    _, observed = beats_everywhere(curves, "variational_dropout", "magnitude")
    assert f"at 80.0%: {NAMES['variational_dropout']} 75.31 (x2.00), {NAMES['magnitude']} 75.00;" in observed


def test_beating_needs_the_margin_and_the_seed_spread():
    low = curve([(0.5, 80.0), (0.9, 70.0)])
    assert beats(curve([(0.5, 80.0 + MARGIN_POINTS + 0.01), (0.9, 70.0)]), low, 0.5)
    assert not beats(curve([(0.5, 80.0 + MARGIN_POINTS), (0.9, 70.0)]), low, 0.5)
    assert not beats(curve([(0.5, 82.0), (0.9, 70.0)], std=2.5), low, 0.5), "within the seed spread"
    assert beats(curve([(0.6, 90.0), (0.9, 90.0)]), low, 0.5) is None, "not reached"


def test_the_transformer_pattern_holds_only_when_every_comparison_does():
    pattern = {"magnitude": [80, 78, 76, 70], "variational_dropout": [82, 80, 76, 65], "l0": [82, 80, 75, 60]}
    verdict, observed = low_mid_and_highest(published_like(pattern))
    assert verdict is True and "at 98.0%" in observed
    broken = {**pattern, "l0": [82, 78, 75, 60]}  # L0 no better than magnitude at 80%
    assert low_mid_and_highest(published_like(broken))[0] is False
    short = {**pattern, "l0": [82, 80, 75, None]}  # L0 stops at 90%: the highest common sparsity is 90%
    verdict, observed = low_mid_and_highest(published_like(short))
    assert verdict is False and "at 90.0%" in observed  # at 90% magnitude (76) does not beat VD (76)


def published_like(accuracy: dict[str, list]) -> dict[str, Curve]:
    return {t: curve([(s, v) for s, v in zip(TARGETS, values) if v is not None]) for t, values in accuracy.items()}


def test_winning_everywhere_and_until_the_highest():
    curves = published_like({"magnitude": [80, 79, 78, 60], "random": [79, 78, 77, 61]})
    assert beats_everywhere(curves, "magnitude", "random")[0] is False
    assert beats_until_highest(curves, "magnitude", "random")[0] is True
    curves = published_like({"magnitude": [80, 79, 78, 62], "random": [79, 78, 77, 61]})
    assert (
        beats_everywhere(curves, "magnitude", "random")[0] is True
        and beats_until_highest(curves, "magnitude", "random")[0] is False
    )
    curves = published_like({"magnitude": [80, 79, 78, 62], "random": [79, 79, 77, 61]})
    assert beats_everywhere(curves, "magnitude", "random")[0] is False


def test_claims_on_a_run_with_known_answers():
    accuracy = {
        "magnitude": [85, 84, 83, 80],
        "extended_magnitude": [87, 86, 85, 77],
        "variational_dropout": [86, 85, 82, 78],
        "l0": [86, 85, 81, 75],
        "random": [83, 80, 75, 60],
    }
    ms = {"magnitude": 2.0, "extended_magnitude": 2.0, "variational_dropout": 7.0, "l0": 4.0, "random": 2.0}
    runs = pd.concat(
        [runs_table(accuracy, model="mlp", spread=0.1, ms=ms), runs_table(accuracy, model="cnn", spread=0.1, ms=ms)],
        ignore_index=True,
    )
    claims = {c.claim_id: c for c in all_claims(runs, load_published(), {"F3": "mlp", "F4": "cnn", "F5": "cnn"}, {})}
    assert list(claims) == ["003-C1", "003-C2", "003-C3", "003-C4", "003-C5"]
    assert claims["003-C1"].holds is True  # VD, L0 ahead at 50 and 80%, magnitude ahead at 98%
    assert claims["003-C2"].holds is False  # VD behind magnitude at 90 and 98%
    assert claims["003-C3"].holds is True  # extended ahead of VD at 50-90%, not at 98%
    assert claims["003-C4"].status == "reported" and claims["003-C4"].observed.startswith("reported")
    assert claims["003-C5"].holds is True  # VD 3.5x the time per step; magnitude at most 1 point behind
    slow = runs.assign(ms_per_step=runs["technique"].map({**ms, "variational_dropout": 2.5}))
    assert all_claims(slow, load_published(), {"F3": "mlp", "F4": "cnn", "F5": "cnn"}, {})[4].holds is False


def test_a_failed_run_leaves_its_row_empty_and_the_run_claims_not_tested():
    accuracy = {
        "magnitude": [85, 84, 83, 80],
        "extended_magnitude": [87, 86, 85, 77],
        "variational_dropout": [86, 85, 82, 78],
        "l0": [86, 85, 81, 75],
        "random": [83, 80, 75, 60],
    }
    runs = runs_table(accuracy, spread=0.1)
    reason = "sparse training: non-finite loss at epoch 2, step 7"
    diverged = (runs["technique"] == "l0") & (runs["target"] == 0.9) & (runs["seed"] == 1)
    runs.loc[diverged, ["failed", "test_accuracy"]] = [reason, float("nan")]
    dense = pd.DataFrame({"model": ["m", "m"], "seed": [0, 1], "test_accuracy": [86.0, 87.0]})
    row = cost_table(runs, dense).set_index(["technique", "target"]).loc[("l0", 0.9)]
    assert row["failed"] == reason and pd.isna(row["test_accuracy_mean"])
    rising = {"m": [pd.DataFrame({"epoch": [0, 1], "val_accuracy": [0.1, 0.8]})]}
    claims = all_claims(runs, load_published(), {"F3": "m", "F4": "m", "F5": "m"}, rising)
    assert [c.status for c in claims] == ["not tested", "not tested", "not tested", "reported", "not tested"]
    assert all(reason in c.observed for c in claims if c.claim_id != "003-C4")


def test_claims_on_dense_runs_still_learning_or_one_seed_are_inconclusive_with_the_tests_reading():
    accuracy = {
        "magnitude": [85, 84, 83, 80],
        "extended_magnitude": [87, 86, 85, 77],
        "variational_dropout": [86, 85, 82, 78],
        "l0": [86, 85, 81, 75],
        "random": [83, 80, 75, 60],
    }
    ms = {"magnitude": 2.0, "extended_magnitude": 2.0, "variational_dropout": 7.0, "l0": 4.0, "random": 2.0}
    runs = pd.concat(
        [runs_table(accuracy, model="mlp", spread=0.1, ms=ms), runs_table(accuracy, model="cnn", spread=0.1, ms=ms)],
        ignore_index=True,
    )
    figures = {"F3": "mlp", "F4": "cnn", "F5": "cnn"}

    def histories(cnn_gain):
        return {
            "mlp": [pd.DataFrame({"epoch": [0, 1, 2, 3], "val_accuracy": [0.1, 0.85, 0.851, 0.852]})] * 2,
            "cnn": [pd.DataFrame({"epoch": [0, 1, 2, 3], "val_accuracy": [0.1, 0.8, 0.81, 0.8 + cnn_gain]})] * 2,
        }

    settled = [c.status for c in all_claims(runs, load_published(), figures, histories(0.004))]
    assert settled == ["holds", "does not hold", "holds", "reported", "holds"]
    claims = all_claims(runs, load_published(), figures, histories(0.02))  # cnn: 2 points over its last 2 epochs
    assert [c.status for c in claims] == ["holds", "inconclusive", "inconclusive", "reported", "inconclusive"]
    assert claims[1].reason.startswith("not converged: the dense cnn runs") and claims[1].reason.endswith(
        "(the test alone reads: does not hold)"
    )
    one_seed = runs[runs["seed"] == 0]
    claims = all_claims(one_seed, load_published(), figures, histories(0.004))
    assert [c.status for c in claims] == ["inconclusive"] * 3 + ["reported", "inconclusive"]
    assert all("too few seeds: " in c.reason for c in claims if c.status == "inconclusive")


def test_sparsity_is_read_as_achieved_not_as_the_sweep_label():
    """VD's sweep points land elsewhere than their labels: comparisons interpolate at the achieved sparsities."""
    accuracy = {"magnitude": [85, 84, 83, 80], "variational_dropout": [86, 85, 84, 82], "l0": [86, 85, 84, 82]}
    achieved = {"variational_dropout": [0.6, 0.85, 0.95, 0.99], "l0": [0.6, 0.85, 0.95, 0.99]}
    curves = run_curves(runs_table(accuracy, sparsity=achieved), "m")
    assert curves["variational_dropout"].at(0.5) is None
    assert compared(curves, ("magnitude", "variational_dropout")) == [0.6, 0.8, 0.85, 0.9, 0.95, 0.98]
    assert curves["variational_dropout"].at(0.9)[0] == pytest.approx(85.0 - math.log(0.15 / 0.1) / math.log(3))


def test_cost_table_puts_time_beside_accuracy_relative_to_magnitude():
    ms = {"magnitude": 2.0, "variational_dropout": 6.0}
    runs = runs_table({"magnitude": [85, 84, 83, 80], "variational_dropout": [86, 85, 84, 82]}, ms=ms, spread=0.5)
    dense = pd.DataFrame({"model": ["m", "m"], "seed": [0, 1], "test_accuracy": [86.0, 87.0]})
    table = cost_table(runs, dense)
    assert list(table["technique"].unique()) == ["dense", "magnitude", "variational_dropout"]
    vd = table[table["technique"] == "variational_dropout"]
    assert (vd["time_per_step_vs_magnitude"] == 3.0).all()
    assert table.loc[table["technique"] == "dense", "test_accuracy_mean"].item() == 86.5
    assert (table.loc[table["technique"] == "magnitude", "test_accuracy_std"] > 0).all()


def test_the_shipped_published_results_name_their_source_and_cover_the_figures():
    raw = pd.read_csv(DATA)
    assert raw["source"].str.startswith("google-research/google-research@").all()
    assert raw["source"].str.contains("state_of_sparsity/").all()
    published = load_published()
    assert set(published["unit"]) == {"percent", "bleu"}
    best = best_runs(published)
    for model, techniques in {
        "transformer": {"magnitude", "variational_dropout", "l0", "random"},
        "resnet50": {"magnitude", "variational_dropout", "random", "extended_magnitude"},
    }.items():
        assert set(best[best["model"] == model]["technique"]) == techniques
    assert published_curves(published, "transformer")["magnitude"].at(0.9)[0] == 23.26
    assert published_curves(published, "resnet50")["variational_dropout"].at(0.98)[0] == 67.36
    l0 = published[(published["model"] == "resnet50") & (published["technique"] == "l0")]
    assert (
        len(l0) == 323 and l0[l0["sparsity"] >= 0.5]["value"].max() < 1.0
    )  # every L0 run at >= 50% near chance (0.1%)
    dense = published[published["technique"] == "dense"].groupby("model")["value"].mean()
    assert dense["resnet50"] == pytest.approx(76.6866, abs=1e-3) and dense["transformer"] == pytest.approx(27.292)


def test_a_curve_reaches_its_own_end_points_after_rounding():
    curves = {
        "magnitude": curve([(0.5, 80.0), (0.98, 60.0)]),
        "variational_dropout": curve([(0.5196764, 81.0), (0.9794863, 62.0)]),
    }
    assert compared(curves, ("magnitude", "variational_dropout")) == [0.519676, 0.979486]
