"""003 part 2 claims on hand-made tables whose verdict is known."""

import pandas as pd

from prunebench.studies.review.claims_part2 import (
    magnitude_beats_scratch_and_tickets,
    part2_claims,
    pie_counts_grow,
    pies_are_harder,
    scratch_matches_pruning,
    ticket_depends_on_learning_rate,
)


def tickets(high_lr_ticket: float) -> pd.DataFrame:
    rows = []
    for lr, ticket, reinit in ((0.01, 80.0, 70.0), (0.1, high_lr_ticket, 85.0)):
        for schedule in ("iterative", "oneshot"):
            for level in (1, 2):
                for seed, noise in ((0, -0.1), (1, 0.1)):
                    s = 1 - 0.5**level
                    rows += [
                        {
                            "lr": lr,
                            "seed": seed,
                            "schedule": schedule,
                            "level": level,
                            "arm": "rewind",
                            "sparsity": s,
                            "test_accuracy": ticket + noise,
                        },
                        {
                            "lr": lr,
                            "seed": seed,
                            "schedule": schedule,
                            "level": level,
                            "arm": "reinit",
                            "sparsity": s,
                            "test_accuracy": reinit - noise,
                        },
                    ]
    return pd.DataFrame(rows)


def test_the_ticket_claim_holds_when_the_gap_closes_at_the_high_learning_rate_only():
    assert ticket_depends_on_learning_rate(tickets(85.0)).holds is True
    assert ticket_depends_on_learning_rate(tickets(90.0)).holds is False
    one_rate = tickets(85.0)
    assert ticket_depends_on_learning_rate(one_rate[one_rate["lr"] == 0.01]).holds is None


def scratch(magnitude: float, scratch_b: float) -> pd.DataFrame:
    rows = []
    for target in (0.5, 0.9):
        for seed in (0, 1):
            for arm, accuracy in (
                ("magnitude", magnitude),
                ("rewind", 80.0),
                ("reinit", 80.0),
                ("scratch_b", scratch_b),
                ("random_masks", 70.0),
            ):
                rows.append(
                    {
                        "arm": arm,
                        "target": target,
                        "seed": seed,
                        "sparsity": target,
                        "test_accuracy": accuracy + 0.1 * seed,
                        "epochs": 4,
                    }
                )
    return pd.DataFrame(rows)


def test_liu_and_gale_readings_are_decided_by_the_one_beats_test():
    assert scratch_matches_pruning(scratch(85.0, 85.2)).holds is True
    assert magnitude_beats_scratch_and_tickets(scratch(85.0, 85.2)).holds is False
    assert scratch_matches_pruning(scratch(85.0, 82.0)).holds is False
    assert magnitude_beats_scratch_and_tickets(scratch(85.0, 82.0)).holds is True


def counts(pies, control_pie=50.0, pruned_pie=30.0, floor=0, dense_pie=50.0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "sparsity": s,
                "pie_count": n,
                "dense_accuracy_pie": dense_pie,
                "dense_accuracy_rest": 90.0,
                "pruned_accuracy_pie": pruned_pie,
                "pruned_accuracy_rest": 85.0,
                "control_pie_count": floor,
                "control_accuracy_pie": control_pie,
                "control_accuracy_rest": 90.0,
                "models_per_population": 5,
                "control_models": 5,
            }
            for s, n in zip((0.3, 0.5, 0.9), pies)
        ]
    )


def test_pie_claims():
    assert pie_counts_grow(counts([1, 4, 9])).holds is True
    assert pie_counts_grow(counts([1, 0, 9])).holds is False
    assert pie_counts_grow(counts([3, 3, 3])).holds is False
    assert pies_are_harder(counts([1, 4, 9])).holds is True
    assert pies_are_harder(counts([0, 0, 0])).holds is None


def test_pie_counts_are_measured_beyond_the_control_count():
    """600 PIEs at every sparsity while two dense populations of other seeds differ on 600 images: seed noise."""
    claim = pie_counts_grow(counts([590, 600, 610], floor=600))
    assert claim.status == "inconclusive" and "inside the noise floor" in claim.reason
    assert (
        "610 PIEs (0.0 beyond the floor)" in claim.observed and "noise floor 649.0" in claim.observed
    )  # 600 + 2 sqrt(600)
    assert pie_counts_grow(counts([590, 700, 900], floor=600)).status == "holds"  # beyond: 0, 51, 251
    assert pie_counts_grow(counts([500, 640, 645], floor=600)).status == "inconclusive"
    assert pie_counts_grow(counts([700, 650, 900], floor=600)).status == "does not hold"  # beyond: 51, 1, 251


def test_the_dense_half_of_pies_being_harder_is_carried_by_the_control_population():
    """The population that selected the PIEs is below on them by construction; the control took no part."""
    assert pies_are_harder(counts([1, 4, 9], control_pie=95.0, dense_pie=10.0)).status == "does not hold"
    assert pies_are_harder(counts([1, 4, 9], control_pie=50.0, dense_pie=95.0)).status == "holds"
    claim = pies_are_harder(counts([1, 4, 9], pruned_pie=10.0))
    assert "nearly guaranteed by how PIEs are selected" in claim.test


def test_pie_accuracies_count_only_where_the_count_is_above_the_control():
    table = counts([5, 20, 40], floor=10)  # floor 10 + 2 sqrt(10) = 16.3
    table.loc[0, "control_accuracy_pie"] = 95.0  # at 0.3, 5 PIEs: below the floor, not decided
    assert pies_are_harder(table).status == "holds"
    table.loc[2, "control_accuracy_pie"] = 95.0
    assert pies_are_harder(table).status == "does not hold"
    claim = pies_are_harder(counts([5, 8, 16], floor=10))
    assert claim.status == "inconclusive" and claim.holds is True


def history(*val_accuracy):
    return pd.DataFrame({"epoch": range(len(val_accuracy)), "val_accuracy": val_accuracy})


def test_part2_claims_are_inconclusive_on_dense_runs_still_learning_or_one_seed():
    settled, rising = [history(0.1, 0.9, 0.9, 0.9)] * 2, [history(0.1, 0.7, 0.8, 0.9)] * 2
    histories = {"tickets": {"0.01": settled, "0.1": settled}, "scratch": settled, "pie": settled}
    claims = part2_claims(tickets(85.0), scratch(85.0, 85.2), counts([1, 4, 9]), histories)
    assert [c.status for c in claims] == ["holds", "holds", "does not hold", "holds", "holds"]
    claims = part2_claims(tickets(85.0), scratch(85.0, 85.2), counts([1, 4, 9]), {**histories, "pie": rising})
    assert [c.status for c in claims] == ["holds", "holds", "does not hold", "inconclusive", "inconclusive"]
    assert claims[3].reason.startswith("not converged: the dense PIE populations")
    one = tickets(85.0)
    claims = part2_claims(
        one[one["seed"] == 0], scratch(85.0, 85.2), counts([1, 4, 9]), {**histories, "scratch": rising}
    )
    assert [c.status for c in claims] == ["inconclusive", "inconclusive", "inconclusive", "holds", "holds"]
    assert "too few seeds: 003-F2 has 1" in claims[0].reason
    claims = part2_claims(
        tickets(85.0),
        scratch(85.0, 85.2),
        counts([1, 4, 9]),
        {**histories, "tickets": {"0.01": rising, "0.1": settled}},
    )
    assert claims[0].status == "inconclusive" and claims[0].reason.startswith(
        "not converged: the dense ticket runs at lr 0.01 "
    )
