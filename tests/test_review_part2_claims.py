"""003 part 2 claims on hand-made tables whose verdict is known."""
import pandas as pd

from prunebench.studies.review.claims_part2 import (
    magnitude_beats_scratch_and_tickets,
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
                        {"lr": lr, "seed": seed, "schedule": schedule, "level": level, "arm": "rewind", "sparsity": s, "test_accuracy": ticket + noise},
                        {"lr": lr, "seed": seed, "schedule": schedule, "level": level, "arm": "reinit", "sparsity": s, "test_accuracy": reinit - noise},
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
            for arm, accuracy in (("magnitude", magnitude), ("rewind", 80.0), ("reinit", 80.0), ("scratch_b", scratch_b), ("random_masks", 70.0)):
                rows.append({"arm": arm, "target": target, "seed": seed, "sparsity": target, "test_accuracy": accuracy + 0.1 * seed, "epochs": 4})
    return pd.DataFrame(rows)


def test_liu_and_gale_readings_are_decided_by_the_one_beats_test():
    assert scratch_matches_pruning(scratch(85.0, 85.2)).holds is True
    assert magnitude_beats_scratch_and_tickets(scratch(85.0, 85.2)).holds is False
    assert scratch_matches_pruning(scratch(85.0, 82.0)).holds is False
    assert magnitude_beats_scratch_and_tickets(scratch(85.0, 82.0)).holds is True


def counts(pies, dense_pie=50.0, pruned_pie=30.0) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"sparsity": s, "pie_count": n, "dense_accuracy_pie": dense_pie, "dense_accuracy_rest": 90.0, "pruned_accuracy_pie": pruned_pie, "pruned_accuracy_rest": 85.0, "models_per_population": 5}
            for s, n in zip((0.3, 0.5, 0.9), pies)
        ]
    )


def test_pie_claims():
    assert pie_counts_grow(counts([1, 4, 9])).holds is True
    assert pie_counts_grow(counts([1, 0, 9])).holds is False
    assert pie_counts_grow(counts([3, 3, 3])).holds is False
    assert pies_are_harder(counts([1, 4, 9])).holds is True
    assert pies_are_harder(counts([1, 4, 9], dense_pie=95.0)).holds is False
    assert pies_are_harder(counts([0, 0, 0])).holds is None
