"""The shared claim record, the rules that make a verdict inconclusive, and the claims page."""

import pandas as pd
import pytest

from prunebench.claims import (
    CONVERGENCE_POINTS,
    CONVERGENCE_WINDOW,
    STATUSES,
    Claim,
    apply_rules,
    collect_claims,
    inconclusive_if,
    read_histories,
    status_counts,
    still_rising,
    too_few_seeds,
    untested_if_failed,
    write_claims,
)
from prunebench.claims_html import claims_html


def test_a_claim_only_published_numbers_speak_to_is_reported_and_has_no_verdict():
    assert Claim("X-C1", "d", "t", "o", None, reported_only=True).status == "reported"
    assert Claim("X-C2", "d", "t", "o", False).status == "does not hold"
    with pytest.raises(ValueError, match="X-C3"):
        Claim("X-C3", "d", "t", "o", True, reported_only=True)


def history(val_accuracy_percent):
    val_accuracy_percent = list(val_accuracy_percent)
    return pd.DataFrame(
        {"epoch": range(len(val_accuracy_percent)), "val_accuracy": [a / 100 for a in val_accuracy_percent]}
    )


def test_the_rule_constants_are_the_documented_ones():
    assert (CONVERGENCE_WINDOW, CONVERGENCE_POINTS) == (2, 0.5)


@pytest.mark.parametrize(
    "histories, rising",
    [
        ([[10, 85, 85.2, 85.4]], False),  # 0.4 points from epoch 1 to epoch 3
        ([[10, 85, 85.5, 85.5]], False),  # 0.5: at the limit
        ([[10, 85, 85.5, 86.0]], True),  # 1.0 point
        ([[10, 85, 85.3, 85.5], [10, 84, 84.5, 84.9]], True),  # 0.5 and 0.9: mean 0.7
        ([[10, 85]], True),  # one epoch: compared with the untrained start
        ([[10, 88, 88, 87]], False),  # falling: not rising
    ],
)
def test_a_run_still_rising_over_its_last_epochs_has_not_converged(histories, rising):
    reason = still_rising([history(h) for h in histories], "the dense runs")
    assert bool(reason) is rising
    if rising:
        assert reason.startswith("not converged: the dense runs")


def test_the_mean_over_seeds_decides():
    flat, rising = history([10, 85, 85, 85]), history([10, 84, 84.5, 86])  # gains 0 and 2: mean 1
    assert still_rising([flat, rising], "x") and not still_rising([flat], "x")
    assert not still_rising([history([0, 90, 90, 90.2]), history([0, 90, 90, 90.6])], "x")  # mean 0.4


def test_a_failed_runs_history_does_not_count():
    assert not still_rising([history([10, 85, 85, 85]), history([10, 50, float("nan")])], "x")
    assert not still_rising([history([10, float("nan")])], "x")


def test_too_few_seeds():
    assert too_few_seeds(1, "part 1") == "too few seeds: part 1 has 1, the test needs 2"
    assert too_few_seeds(2, "part 1") == ""
    assert too_few_seeds(2, "the paired test", needed=3)


def test_inconclusive_keeps_the_tests_reading_in_its_reason_and_yields_to_failure_and_reported():
    claim = inconclusive_if(Claim("X-C1", "d", "t", "o", True), "too few seeds: a has 1, the test needs 2", "")
    assert claim.status == "inconclusive" and claim.holds is True
    assert claim.reason == "too few seeds: a has 1, the test needs 2 (the test alone reads: holds)"
    assert inconclusive_if(Claim("X-C2", "d", "t", "o", False), "", "").status == "does not hold"
    assert untested_if_failed(claim, ["diverged"]).status == "not tested"
    assert inconclusive_if(Claim("X-C3", "d", "t", "o", None), "r").status == "not tested"
    assert inconclusive_if(Claim("X-C4", "d", "t", "o", None, reported_only=True), "r").status == "reported"
    assert Claim("X-C5", "d", "t", "o", True).reason == ""


def test_status_counts_cover_every_status_of_every_study(tmp_path):
    claims = {
        "a": [Claim("A-C1", "d", "t", "o", True), Claim("A-C2", "d", "t", "o", None, reported_only=True)],
        "b": [Claim("B-C1", "d", "t", "o", False), inconclusive_if(Claim("B-C2", "d", "t", "o", True), "why")],
    }
    files = {}
    for study, rows in claims.items():
        files[study] = tmp_path / f"{study}.csv"
        write_claims(rows, files[study], tmp_path / f"{study}.md", title=study)
    table = collect_claims(files)
    counts = status_counts(table).set_index("study")
    assert list(counts.columns) == list(STATUSES)
    assert counts.loc["a"].tolist() == [1, 0, 0, 0, 1] and counts.loc["b"].tolist() == [0, 1, 1, 0, 0]
    assert table.set_index("claim_id").loc["B-C2", "reason"] == "why (the test alone reads: holds)"
    page = claims_html(table)
    assert "why (the test alone reads: holds)" in page and "<th>inconclusive</th>" in page


def test_a_studys_rules_apply_convergence_to_every_claim_and_seeds_to_those_with_a_spread(tmp_path):
    paths = []
    for i, accuracy in enumerate(([0.1, 0.9, 0.9, 0.9], [0.1, 0.9, 0.9, 0.901], [0.1, 0.6, 0.7, 0.8])):
        paths.append(tmp_path / f"h{i}.csv")
        history(a * 100 for a in accuracy).to_csv(paths[-1], index=False)
    histories = read_histories(["d/a", "d/a", "d/b"], paths)
    assert list(histories) == ["d/a", "d/b"] and len(histories["d/a"]) == 2
    claims = [
        Claim("X-C1", "d", "t", "o", True),
        Claim("X-C2", "d", "t", "o", False),
        Claim("X-C3", "d", "t", "o", None, reported_only=True),
    ]
    settled = {"d/a": histories["d/a"]}
    assert [c.status for c in apply_rules(claims, settled, 2, ["X-C2"])] == ["holds", "does not hold", "reported"]
    assert [c.status for c in apply_rules(claims, settled, 1, ["X-C2"])] == ["holds", "inconclusive", "reported"]
    ruled = apply_rules(claims, histories, 2, ["X-C2"])
    assert [c.status for c in ruled] == ["inconclusive", "inconclusive", "reported"]
    assert ruled[0].reason.startswith("not converged: the dense d/b runs still gain 20.00 points")
