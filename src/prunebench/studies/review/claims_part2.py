"""003 part 2 claims: lottery tickets against random re-init (Figure 2), magnitude pruning against scratch training
and lottery tickets (Figure 6), pruning identified exemplars (Figure 7). "A beats B" is part 1's one test
(`claims.beats`: more than MARGIN_POINTS and more than the larger seed std), at sparsities both curves have.
PIE claims are decided against the control, a second dense population of other seeds (`pie.pie_summary`): the
images on which it and the first dense population differ in modal label are what seeds alone make PIEs of; the noise
floor of a PIE count is that control count C plus NOISE_SIGMAS times its sampling spread, sqrt(C) (a count of rare
disagreements among many images is near Poisson). Every claim is inconclusive where
the dense runs it rests on had not converged or it has fewer than MIN_SEEDS seeds (prunebench.claims)."""

from __future__ import annotations

import pandas as pd

from prunebench.claims import (
    Claim,
    failures_of,
    inconclusive_if,
    still_rising,
    still_rising_by_group,
    too_few_seeds,
    untested_if_failed,
)
from prunebench.studies.review.claims import BEATS, MARGIN_POINTS, Curve, _all, beats
from prunebench.studies.review.tickets import F2_NAMES, F6_NAMES

NOISE_SIGMAS = 2.0  # the PIE count's noise floor: the control count plus this many sqrt(control count)
NOISE_FLOOR = "inside the noise floor: no sparsity has more PIEs than seeds alone produce (the control)"


def _curve(part: pd.DataFrame, by: str) -> Curve:
    points = part.groupby(by).agg(
        sparsity=("sparsity", "mean"), mean=("test_accuracy", "mean"), std=("test_accuracy", "std")
    )
    points = points.fillna({"std": 0.0}).sort_values("sparsity")
    return Curve(points["sparsity"].to_numpy(), points["mean"].to_numpy(), points["std"].to_numpy())


def _gaps(ticket: Curve, reinit: Curve) -> str:
    return ", ".join(
        f"{100 * (1 - s):.3g}% left: {a:.2f} vs {b:.2f}" for s, a, b in zip(ticket.sparsity, ticket.mean, reinit.mean)
    )


def ticket_depends_on_learning_rate(tickets: pd.DataFrame) -> Claim:
    rates = sorted(tickets["lr"].unique())
    tests, observed = [], []
    for schedule in ("iterative", "oneshot"):
        for lr in (rates[0], rates[-1]):
            part = tickets[(tickets["lr"] == lr) & (tickets["schedule"] == schedule)]
            ticket, reinit = (
                _curve(part[part["arm"] == "rewind"], "level"),
                _curve(part[part["arm"] == "reinit"], "level"),
            )
            wins = [beats(ticket, reinit, s) for s in ticket.sparsity]
            tests += wins if lr == rates[0] else [not w for w in wins]
            observed.append(
                f"{schedule}, lr {lr:g} ({F2_NAMES['rewind']} vs {F2_NAMES['reinit']}, test accuracy %):"
                f" {_gaps(ticket, reinit)}"
            )
    return Claim(
        "003-C6",
        "Figure 2 (Liu et al. 2019): the winning ticket (the original initialization) outperforms random"
        " re-initialization only at a low learning rate; at the high learning rate the gap closes.",
        "at the lowest learning rate the ticket beats re-init at every level, and at the highest it beats it at none,"
        f" both iterative and one-shot; {BEATS}",
        "; ".join(observed),
        _all(tests) if len(rates) > 1 else None,
    )


def _f6_curves(scratch: pd.DataFrame) -> dict[str, Curve]:
    return {arm: _curve(part, "target") for arm, part in scratch.groupby("arm")}


def _f6_values(curves: dict[str, Curve], arms) -> str:
    points = curves["magnitude"].sparsity
    return "; ".join(
        f"at {100 * s:.3g}%: "
        + ", ".join(f"{F6_NAMES[a]} {curves[a].at(s)[0]:.2f}" for a in arms if curves[a].reaches(s))
        for s in points
    )


def scratch_matches_pruning(scratch: pd.DataFrame) -> Claim:
    curves = _f6_curves(scratch)
    tests = [beats(curves["magnitude"], curves["scratch_b"], s) is False for s in curves["magnitude"].sparsity]
    return Claim(
        "003-C7",
        "Liu et al. 2019 (as the document reads them): training the pruned architecture from scratch matches the"
        " fine-tuned pruned model (Scratch-B with the dense model's compute).",
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
        "Figure 6 (Gale et al. 2019): magnitude pruning outperforms scratch training (Scratch-E, Scratch-B) and the"
        " lottery ticket.",
        "magnitude pruning beats Scratch-E, Scratch-B and the lottery ticket (its masks, the dense initialization) at"
        f" every sparsity of the magnitude runs; {BEATS}",
        _f6_values(curves, ("magnitude", *arms, "random_masks")),
        _all(tests),
    )


def noise_floor(control_count: float) -> float:
    return control_count + NOISE_SIGMAS * control_count**0.5


def _excess(counts: pd.DataFrame) -> list[float]:
    """Per sparsity (in order), the PIEs beyond the noise floor (0 where there are not more)."""
    return [max(0.0, n - noise_floor(c)) for n, c in zip(counts["pie_count"], counts["control_pie_count"])]


def _floor_text(counts: pd.DataFrame) -> str:
    measured = counts.dropna(subset=["control_pie_count"])
    if measured.empty:
        return "control: not measured"
    row = measured.iloc[0]
    return (
        f"control: {int(row['control_pie_count'])} images on which {int(row['models_per_population'])} and "
        f"{int(row['control_models'])} dense models of other seeds differ in modal label; "
        f"noise floor {noise_floor(row['control_pie_count']):.1f}"
    )


def pie_counts_grow(counts: pd.DataFrame) -> Claim:
    counts = counts.sort_values("sparsity")
    excess = _excess(counts)
    grows = all(b >= a for a, b in zip(excess, excess[1:])) and excess[-1] > excess[0]
    claim = Claim(
        "003-C9",
        "Hooker et al. 2019: the number of pruning identified exemplars grows with sparsity.",
        "the PIEs beyond the noise floor (the control count C, the images on which the first dense population and a "
        f"second one of other seeds differ in modal label, plus {NOISE_SIGMAS:g} sqrt(C); 0 where a count is not above "
        "it) never fall from one sparsity to the next and are more at the highest sparsity than at the lowest; "
        "inconclusive where no sparsity's count is above the floor",
        "; ".join(
            f"{s:g}: {c:g} PIEs ({e:.1f} beyond the floor)"
            for s, c, e in zip(counts["sparsity"], counts["pie_count"], excess)
        )
        + f" ({_floor_text(counts)})",
        grows if len(excess) > 1 else None,
    )
    floor = "" if any(excess) else NOISE_FLOOR
    return inconclusive_if(claim, floor)


def pies_are_harder(counts: pd.DataFrame) -> Claim:
    counts = counts.sort_values("sparsity")
    above = [e > 0 for e in _excess(counts)]
    tests, observed = [], []
    for row, decides in zip(counts.itertuples(), above):
        if row.pie_count == 0:
            observed.append(f"{row.sparsity:g}: no PIE")
            continue
        if decides or not any(above):
            tests += [
                row.control_accuracy_rest - row.control_accuracy_pie > MARGIN_POINTS,
                row.pruned_accuracy_rest - row.pruned_accuracy_pie > MARGIN_POINTS,
            ]
        observed.append(
            f"{row.sparsity:g}{'' if decides else ' (count not above the noise floor)'}: "
            f"dense (control) {row.control_accuracy_pie:.1f} on PIEs vs {row.control_accuracy_rest:.1f} on the rest, "
            f"pruned {row.pruned_accuracy_pie:.1f} vs {row.pruned_accuracy_rest:.1f} "
            f"(the dense population that selected them: {row.dense_accuracy_pie:.1f} vs {row.dense_accuracy_rest:.1f})"
        )
    claim = Claim(
        "003-C10",
        "Figure 7 (Hooker et al. 2019): both the pruned and the unpruned models do worse on PIEs than on the other"
        " images.",
        "at every sparsity whose PIE count is above the noise floor (003-C9), the mean accuracy of the control dense "
        "population (which took no part in selecting the PIEs) and of the pruned population on PIEs is more than "
        f"{MARGIN_POINTS:g} point below their accuracy on the other test images. The pruned half is nearly guaranteed "
        "by how PIEs are selected (on a PIE the pruned modal label differs from the dense one, so wherever the dense "
        "population is right the pruned one is wrong), and so is the selecting dense population's (printed for "
        "reference): the control's accuracy carries the evidence",
        "test accuracy %, population means: " + "; ".join(observed) + f" ({_floor_text(counts)})",
        _all(tests),
    )
    floor = "" if any(above) else NOISE_FLOOR
    return inconclusive_if(claim, floor)


def ticket_claims(tickets: pd.DataFrame, histories: dict) -> list[Claim]:
    """C6, decided on the ticket runs alone (003-F2: `snakemake rv_tickets` builds them without part 1); `histories`:
    the dense ticket runs' validation histories by learning rate."""
    rules = [
        still_rising_by_group(histories, "the dense ticket runs at lr {}"),
        too_few_seeds(int(tickets["seed"].nunique()), "003-F2"),
    ]
    return [untested_if_failed(inconclusive_if(ticket_depends_on_learning_rate(tickets), *rules), failures_of(tickets))]


def scratch_claims(scratch: pd.DataFrame, histories: list) -> list[Claim]:
    """C7-C8, decided on 003-F6's runs alone; `histories`: the validation histories of the dense runs whose masks they
    retrain, one per seed."""
    rules = [
        still_rising(histories, "the dense runs whose masks 003-F6 retrains"),
        too_few_seeds(int(scratch["seed"].nunique()), "003-F6"),
    ]
    return [
        untested_if_failed(inconclusive_if(claim(scratch), *rules), failures_of(scratch))
        for claim in (scratch_matches_pruning, magnitude_beats_scratch_and_tickets)
    ]


def pie_claims(pie_counts: pd.DataFrame, histories: list) -> list[Claim]:
    """C9-C10, decided on 003-F7's populations alone; `histories`: the dense populations' validation histories."""
    rules = [still_rising(histories, "the dense PIE populations")]
    return [
        untested_if_failed(inconclusive_if(claim(pie_counts), *rules), failures_of(pie_counts))
        for claim in (pie_counts_grow, pies_are_harder)
    ]


def part2_claims(
    tickets: pd.DataFrame, scratch: pd.DataFrame, pie_counts: pd.DataFrame, histories: dict
) -> list[Claim]:
    """C6 is decided on the ticket runs, C7-C8 on 003-F6's runs, C9-C10 on 003-F7's populations, each piece alone: a
    failed run among them leaves the claim not tested (its verdict, computed on the missing values, replaced).
    `histories` (the dense runs each rests on, one validation history per seed or model: tickets by learning rate
    {lr: [...]}, scratch and pie lists) and the seeds make a claim inconclusive by prunebench.claims' rules."""
    return [
        *ticket_claims(tickets, histories["tickets"]),
        *scratch_claims(scratch, histories["scratch"]),
        *pie_claims(pie_counts, histories["pie"]),
    ]
