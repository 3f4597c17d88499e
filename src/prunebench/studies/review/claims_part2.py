"""003 part 2 claims: lottery tickets against random re-init (Figure 2), magnitude pruning against scratch training
and lottery tickets (Figure 6), pruning identified exemplars (Figure 7). "A beats B" is part 1's one test
(`claims.beats`: more than MARGIN_POINTS and more than the larger seed std), at sparsities both curves have."""
from __future__ import annotations

import pandas as pd

from prunebench.claims import Claim, failures_of, untested_if_failed
from prunebench.studies.review.claims import BEATS, MARGIN_POINTS, Curve, _all, beats
from prunebench.studies.review.tickets import F2_NAMES, F6_NAMES


def _curve(part: pd.DataFrame, by: str) -> Curve:
    points = part.groupby(by).agg(sparsity=("sparsity", "mean"), mean=("test_accuracy", "mean"), std=("test_accuracy", "std"))
    points = points.fillna({"std": 0.0}).sort_values("sparsity")
    return Curve(points["sparsity"].to_numpy(), points["mean"].to_numpy(), points["std"].to_numpy())


def _gaps(ticket: Curve, reinit: Curve) -> str:
    return ", ".join(f"{100 * (1 - s):.3g}% left: {a:.2f} vs {b:.2f}" for s, a, b in zip(ticket.sparsity, ticket.mean, reinit.mean))


def ticket_depends_on_learning_rate(tickets: pd.DataFrame) -> Claim:
    rates = sorted(tickets["lr"].unique())
    tests, observed = [], []
    for schedule in ("iterative", "oneshot"):
        for lr in (rates[0], rates[-1]):
            part = tickets[(tickets["lr"] == lr) & (tickets["schedule"] == schedule)]
            ticket, reinit = _curve(part[part["arm"] == "rewind"], "level"), _curve(part[part["arm"] == "reinit"], "level")
            wins = [beats(ticket, reinit, s) for s in ticket.sparsity]
            tests += wins if lr == rates[0] else [not w for w in wins]
            observed.append(f"{schedule}, lr {lr:g} ({F2_NAMES['rewind']} vs {F2_NAMES['reinit']}, test accuracy %): {_gaps(ticket, reinit)}")
    return Claim(
        "003-C6",
        "Figure 2 (Liu et al. 2019): the winning ticket (the original initialization) outperforms random re-initialization only at a low learning rate; at the high learning rate the gap closes.",
        f"at the lowest learning rate the ticket beats re-init at every level, and at the highest it beats it at none, both iterative and one-shot; {BEATS}",
        "; ".join(observed),
        _all(tests) if len(rates) > 1 else None,
    )


def _f6_curves(scratch: pd.DataFrame) -> dict[str, Curve]:
    return {arm: _curve(part, "target") for arm, part in scratch.groupby("arm")}


def _f6_values(curves: dict[str, Curve], arms) -> str:
    points = curves["magnitude"].sparsity
    return "; ".join(
        f"at {100 * s:.3g}%: " + ", ".join(f"{F6_NAMES[a]} {curves[a].at(s)[0]:.2f}" for a in arms if curves[a].reaches(s)) for s in points
    )


def scratch_matches_pruning(scratch: pd.DataFrame) -> Claim:
    curves = _f6_curves(scratch)
    tests = [beats(curves["magnitude"], curves["scratch_b"], s) is False for s in curves["magnitude"].sparsity]
    return Claim(
        "003-C7",
        "Liu et al. 2019 (as the document reads them): training the pruned architecture from scratch matches the fine-tuned pruned model (Scratch-B with the dense model's compute).",
        f"magnitude pruning beats Scratch-B at no sparsity of the magnitude runs; {BEATS}",
        _f6_values(curves, ("magnitude", "reinit", "scratch_b")),
        _all(tests),
    )


def magnitude_beats_scratch_and_tickets(scratch: pd.DataFrame) -> Claim:
    curves = _f6_curves(scratch)
    arms = ("reinit", "scratch_b", "rewind")
    tests = [beats(curves["magnitude"], curves[a], s) for s in curves["magnitude"].sparsity for a in arms]
    return Claim(
        "003-C8",
        "Figure 6 (Gale et al. 2019): magnitude pruning outperforms scratch training (Scratch-E, Scratch-B) and the lottery ticket.",
        f"magnitude pruning beats Scratch-E, Scratch-B and the lottery ticket (its masks, the dense initialization) at every sparsity of the magnitude runs; {BEATS}",
        _f6_values(curves, ("magnitude", *arms, "random_masks")),
        _all(tests),
    )


def pie_counts_grow(counts: pd.DataFrame) -> Claim:
    counts = counts.sort_values("sparsity")
    n = counts["pie_count"].to_list()
    grows = all(b >= a for a, b in zip(n, n[1:])) and n[-1] > n[0]
    return Claim(
        "003-C9",
        "Hooker et al. 2019: the number of pruning identified exemplars grows with sparsity.",
        "the PIE count never falls from one sparsity to the next and is larger at the highest sparsity than at the lowest",
        "; ".join(f"{s:g}: {c} PIEs" for s, c in zip(counts["sparsity"], n)) + f" ({int(counts['models_per_population'].iloc[0])} models per population)",
        grows if len(n) > 1 else None,
    )


def pies_are_harder(counts: pd.DataFrame) -> Claim:
    tests, observed = [], []
    for row in counts.sort_values("sparsity").itertuples():
        if row.pie_count == 0:
            observed.append(f"{row.sparsity:g}: no PIE")
            continue
        tests += [row.dense_accuracy_rest - row.dense_accuracy_pie > MARGIN_POINTS, row.pruned_accuracy_rest - row.pruned_accuracy_pie > MARGIN_POINTS]
        observed.append(
            f"{row.sparsity:g}: dense {row.dense_accuracy_pie:.1f} on PIEs vs {row.dense_accuracy_rest:.1f} on the rest, pruned {row.pruned_accuracy_pie:.1f} vs {row.pruned_accuracy_rest:.1f}"
        )
    return Claim(
        "003-C10",
        "Figure 7 (Hooker et al. 2019): both the pruned and the unpruned models do worse on PIEs than on the other images.",
        f"at every sparsity with a PIE, the mean accuracy of the dense population and of the pruned population on PIEs is more than {MARGIN_POINTS:g} point below their accuracy on the other test images",
        "test accuracy %, population means: " + "; ".join(observed),
        _all(tests),
    )


def part2_claims(tickets: pd.DataFrame, scratch: pd.DataFrame, pie_counts: pd.DataFrame) -> list[Claim]:
    """C6 is decided on the ticket runs, C7-C8 on 003-F6's runs, C9-C10 on 003-F7's populations: a failed run among
    them leaves the claim not tested (its verdict, computed on the missing values, replaced)."""
    on_tickets, on_scratch, on_pie = failures_of(tickets), failures_of(scratch), failures_of(pie_counts)
    return [
        untested_if_failed(ticket_depends_on_learning_rate(tickets), on_tickets),
        untested_if_failed(scratch_matches_pruning(scratch), on_scratch),
        untested_if_failed(magnitude_beats_scratch_and_tickets(scratch), on_scratch),
        untested_if_failed(pie_counts_grow(pie_counts), on_pie),
        untested_if_failed(pies_are_harder(pie_counts), on_pie),
    ]


