"""003 part 1 claims: the document's reading of the State of Sparsity comparison (sections III-IV, Figures 3-5),
each decided on this run's numbers where the run can decide it, with the published numbers (003-B2) beside them.

One definition per notion, used by every claim:
- a curve: one technique's accuracy against achieved sparsity (this run: seed means per sweep point, with their
  standard deviation; published: the best run per sparsity), read between its points by linear interpolation in
  log(1 - s), the log of the fraction of weights remaining (the sweep points are spaced geometrically in it: 50, 10,
  2% remaining), and never outside them (`Curve.at`); how far a reading interpolates is the ratio of the weights
  remaining at s to those at the curve's nearest point (`Curve.stretch`: 1 at a point), printed with each value;
- A beats B at sparsity s: A's accuracy exceeds B's by more than MARGIN_POINTS and more than the larger of the two
  seed standard deviations (`beats`);
- the compared sparsities of some curves: every sparsity at which one of them has a point (this run: a gradual
  method's target, a seed-mean achieved sparsity of variational dropout or L0; published: a released sparsity) and
  which all of them reach; "low to mid sparsity" is those within LOW_MID, "the highest" the largest.
Every claim on this run's curves is inconclusive where the dense reference of its model (trained alike) had not
converged, or where its runs have fewer than MIN_SEEDS seeds (`beats` weighs the seed spread): prunebench.claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from prunebench.claims import Claim, failures_of, inconclusive_if, still_rising, too_few_seeds, untested_if_failed
from prunebench.studies.review.published import best_runs
from prunebench.studies.review.tables import NAMES

MARGIN_POINTS = 0.5  # accuracy points (BLEU for the published Transformer): see `beats`
LOW_MID = (0.5, 0.8)  # the range of the document's "low to mid sparsity" (Figure 3)
COMPETITIVE_POINTS = 1.0  # magnitude pruning is "competitive" at s: at most this far below the best of VD and L0
COST_RATIO = 1.5  # "a fraction of the cost": variational dropout's time per step at least this multiple of magnitude's
DIGITS = 6  # compared sparsities are rounded to this many decimals (one point where curves nearly coincide) ...
TOLERANCE = 10.0**-DIGITS  # ... so a curve reaches a sparsity within this of its ends
DOCUMENT_HOURS = {"variational_dropout": 9.75, "magnitude": 3.15}  # the document's ResNet-50 training times

BEATS = (
    f"A beats B at s: A's accuracy above B's by more than {MARGIN_POINTS:g} point and more than the larger seed std "
    "(linear interpolation in log(1 - s) between sweep points, never beyond them; xN: the reading is N times the "
    "weights remaining of the curve's nearest point away from it)"
)
COMPARED = (
    "compared sparsities: each point of the curves (a target, or VD's / L0's mean achieved sparsity) that all of them"
    " reach"
)


def log_remaining(s) -> np.ndarray:
    """-log(1 - s): increases with the sparsity s, by the same step each time the weights remaining halve."""
    return -np.log1p(-np.asarray(s, dtype=float))


@dataclass(frozen=True)
class Curve:
    sparsity: np.ndarray  # increasing
    mean: np.ndarray
    std: np.ndarray

    def at(self, s: float) -> tuple[float, float] | None:
        if not self.sparsity[0] - TOLERANCE <= s <= self.sparsity[-1] + TOLERANCE:
            return None
        x, points = log_remaining(s), log_remaining(self.sparsity)
        return float(np.interp(x, points, self.mean)), float(np.interp(x, points, self.std))

    def stretch(self, s: float) -> float:
        """The ratio of the weights remaining at s to those at the curve's nearest point (1: s is a point)."""
        return float(np.exp(np.min(np.abs(log_remaining(self.sparsity) - log_remaining(s)))))

    def reaches(self, s: float) -> bool:
        return self.at(s) is not None


def run_curves(runs: pd.DataFrame, model: str) -> dict[str, Curve]:
    """Per technique of one model: seed means of achieved sparsity and test accuracy per sweep point."""
    curves = {}
    for technique, part in runs[runs["model"] == model].groupby("technique"):
        points = part.groupby("target").agg(
            sparsity=("achieved_sparsity", "mean"), mean=("test_accuracy", "mean"), std=("test_accuracy", "std")
        )
        points = points.fillna({"std": 0.0}).sort_values("sparsity")
        curves[technique] = Curve(points["sparsity"].to_numpy(), points["mean"].to_numpy(), points["std"].to_numpy())
    return curves


def published_curves(published: pd.DataFrame, model: str) -> dict[str, Curve]:
    curves = {}
    for technique, part in best_runs(published)[lambda f: f["model"] == model].groupby("technique"):
        part = part.sort_values("sparsity")
        curves[technique] = Curve(part["sparsity"].to_numpy(), part["value"].to_numpy(), np.zeros(len(part)))
    return curves


def beats(a: Curve, b: Curve, s: float) -> bool | None:
    """The one test of "A beats B at s" (None where either curve does not reach s)."""
    if not (a.reaches(s) and b.reaches(s)):
        return None
    (mean_a, std_a), (mean_b, std_b) = a.at(s), b.at(s)
    return bool(mean_a - mean_b > max(MARGIN_POINTS, std_a, std_b))


def compared(curves: dict[str, Curve], techniques) -> list[float]:
    """The compared sparsities of `techniques` (none if one of them has no curve)."""
    if not all(t in curves for t in techniques):
        return []
    points = {round(float(s), DIGITS) for t in techniques for s in curves[t].sparsity}
    return sorted(s for s in points if all(curves[t].reaches(s) for t in techniques))


def _all(results: list[bool | None]) -> bool | None:
    """False if any test fails, None if none fails but one could not be made (or there is none), else True."""
    if any(r is False for r in results):
        return False
    return None if not results or any(r is None for r in results) else True


def _stretch_text(curve: Curve, s: float) -> str:
    stretch = curve.stretch(s)
    return f" (x{stretch:.2f})" if round(stretch, 2) > 1 else ""


def _values(curves: dict[str, Curve], techniques, s: float) -> str:
    parts = []
    for t in techniques:
        value = curves[t].at(s) if t in curves else None
        if value is None:
            parts.append(f"{NAMES[t]} -")
            continue
        spread = f" ± {value[1]:.2f}" if value[1] else ""
        parts.append(f"{NAMES[t]} {value[0]:.2f}{spread}{_stretch_text(curves[t], s)}")
    return f"at {100 * s:.1f}%: " + ", ".join(parts)


def low_mid_and_highest(curves: dict[str, Curve]) -> tuple[bool | None, str]:
    """VD and L0 beat magnitude at every compared sparsity within LOW_MID; magnitude beats both at the highest one
    (which must lie above LOW_MID)."""
    techniques = ("magnitude", "variational_dropout", "l0")
    points = compared(curves, techniques)
    low_mid = [s for s in points if LOW_MID[0] <= s <= LOW_MID[1]]
    if not low_mid or points[-1] <= LOW_MID[1]:
        return None, "; ".join(_values(curves, techniques, s) for s in points) or "the curves share no sparsity"
    tests = [beats(curves[t], curves["magnitude"], s) for s in low_mid for t in ("variational_dropout", "l0")]
    tests += [beats(curves["magnitude"], curves[t], points[-1]) for t in ("variational_dropout", "l0")]
    return _all(tests), "; ".join(_values(curves, techniques, s) for s in (*low_mid, points[-1]))


def beats_everywhere(curves: dict[str, Curve], winner: str, loser: str) -> tuple[bool | None, str]:
    points = compared(curves, (winner, loser))
    return (
        _all([beats(curves[winner], curves[loser], s) for s in points]),
        "; ".join(_values(curves, (winner, loser), s) for s in points) or "no common sparsity",
    )


def beats_until_highest(curves: dict[str, Curve], winner: str, loser: str) -> tuple[bool | None, str]:
    """`winner` beats `loser` at every compared sparsity but the highest, where it does not."""
    points = compared(curves, (winner, loser))
    if len(points) < 2:
        return None, "fewer than two common sparsities"
    tests = [beats(curves[winner], curves[loser], s) for s in points[:-1]] + [
        not beats(curves[winner], curves[loser], points[-1])
    ]
    return _all(tests), "; ".join(_values(curves, (winner, loser), s) for s in points)


def _published_verdict(verdict: bool | None) -> str:
    return {
        True: "show it under the same test",
        False: "do not show it under the same test",
        None: "cannot be compared",
    }[verdict]


def transformer_pattern(runs, published, model) -> Claim:
    verdict, observed = low_mid_and_highest(run_curves(runs, model))
    pub_verdict, pub_observed = low_mid_and_highest(published_curves(published, "transformer"))
    return Claim(
        "003-C1",
        "Transformer (Figure 3): L0 regularization and variational dropout outperform magnitude pruning at low to mid"
        " sparsity; magnitude pruning achieves the best results at the highest sparsity.",
        f"on {model} (this run's Figure 3 model): VD and L0 each beat magnitude pruning at every compared sparsity from"
        f" {100 * LOW_MID[0]:g} to {100 * LOW_MID[1]:g}%, and magnitude pruning beats both at the highest compared"
        f" sparsity; {BEATS}; {COMPARED}",
        f"this run (test accuracy %): {observed}. Published best runs (BLEU): {pub_observed}: they"
        f" {_published_verdict(pub_verdict)}",
        verdict,
    )


def vd_beats_magnitude(runs, published, model) -> Claim:
    verdict, observed = beats_everywhere(run_curves(runs, model), "variational_dropout", "magnitude")
    pub_verdict, pub_observed = beats_everywhere(
        published_curves(published, "resnet50"), "variational_dropout", "magnitude"
    )
    return Claim(
        "003-C2",
        "ResNet-50 (Figure 4): variational dropout outperforms magnitude pruning.",
        f"on {model} (this run's Figure 4 model): VD beats magnitude pruning at every compared sparsity; {BEATS};"
        f" {COMPARED}",
        f"this run (test accuracy %): {observed}. Published best runs (top-1 %): {pub_observed}: they"
        f" {_published_verdict(pub_verdict)}",
        verdict,
    )


def extended_overtakes(runs, published, model) -> Claim:
    verdict, observed = beats_until_highest(run_curves(runs, model), "extended_magnitude", "variational_dropout")
    pub_verdict, pub_observed = beats_until_highest(
        published_curves(published, "resnet50"), "extended_magnitude", "variational_dropout"
    )
    return Claim(
        "003-C3",
        "ResNet-50 (Figure 5): magnitude pruning with 1.5x the training steps outperforms variational dropout until the"
        " highest sparsity levels.",
        f"on {model} (this run's Figure 5 model): extended magnitude pruning beats VD at every compared sparsity but"
        f" the highest, and does not beat it there; {BEATS}; {COMPARED}",
        f"this run (test accuracy %): {observed}. Published best runs (top-1 %): {pub_observed}: they"
        f" {_published_verdict(pub_verdict)}",
        verdict,
    )


def l0_fails_at_scale(runs, published, model) -> Claim:
    l0 = published[(published["model"] == "resnet50") & (published["technique"] == "l0")]
    sparse = l0[l0["sparsity"] >= LOW_MID[0]]
    dense = published[(published["model"] == "resnet50") & (published["technique"] == "dense")]["value"].mean()
    ours = run_curves(runs, model).get("l0")
    this_run = "; ".join(f"{100 * s:.1f}%: {m:.2f}" for s, m in zip(ours.sparsity, ours.mean)) if ours else "no L0 runs"
    return Claim(
        "003-C4",
        "L0 regularization fails at scale: applied to ResNet-50 it damaged model quality so much that it is left out of"
        " Figure 4.",
        "reported only: this run trains small networks and cannot test a failure at ImageNet scale; the published"
        " ResNet-50 L0 runs are listed",
        f"reported: the best of the {len(sparse)} published ResNet-50 L0 runs with sparsity >= {100 * LOW_MID[0]:g}%"
        f" reaches {sparse['value'].max():.2f}% top-1 (dense baselines {dense:.2f}%, chance 0.1%). This run's L0 on"
        f" {model} (achieved sparsity: test accuracy %): {this_run}",
        None,
        reported_only=True,
    )


def magnitude_competitive_and_cheap(runs) -> Claim:
    tests, observed = [], []
    for model in sorted(runs["model"].unique()):
        part = runs[runs["model"] == model]
        per_step = part.groupby("technique")["ms_per_step"].mean()
        ratio = per_step["variational_dropout"] / per_step["magnitude"]
        curves = run_curves(runs, model)
        best = {}
        for s in compared(curves, ("magnitude", "variational_dropout", "l0")):
            others = max(curves[t].at(s)[0] for t in ("variational_dropout", "l0"))
            best[s] = curves["magnitude"].at(s)[0] - others
        tests.append(bool(ratio >= COST_RATIO))
        tests.append(all(gap >= -COMPETITIVE_POINTS for gap in best.values()) if best else None)
        gaps = ", ".join(f"{100 * s:.1f}%: {gap:+.2f}" for s, gap in best.items()) or "no common sparsity"
        observed.append(
            f"{model}: time per step VD {ratio:.2f}x, L0 {per_step['l0'] / per_step['magnitude']:.2f}x magnitude's; "
            f"magnitude minus the better of VD and L0 (points) {gaps}"
        )
    document = DOCUMENT_HOURS["variational_dropout"] / DOCUMENT_HOURS["magnitude"]
    return Claim(
        "003-C5",
        "Magnitude pruning is competitive at a fraction of the cost: on ResNet-50 variational dropout trains"
        f" {DOCUMENT_HOURS['variational_dropout']:g} h against {DOCUMENT_HOURS['magnitude']:g} h ({document:.1f}x).",
        f"on every model: VD's measured time per step at least {COST_RATIO:g}x magnitude pruning's, and magnitude"
        f" pruning at most {COMPETITIVE_POINTS:g} point below the better of VD and L0 at every sparsity compared among"
        f" the three ({COMPARED}); the time is a timing: it depends on the machine and its load and is not covered by"
        " the bitwise rerun guarantee",
        "; ".join(observed),
        _all(tests),
    )


def evidence_rules(runs: pd.DataFrame, histories: dict[str, list[pd.DataFrame]], models) -> list[str]:
    """The reasons (prunebench.claims' rules) the runs of `models` cannot carry a verdict: their dense references
    (`histories`: model -> one validation history per seed) still learning, or too few seeds."""
    reasons = []
    for model in models:
        reasons.append(still_rising(histories.get(model, []), f"the dense {model} runs"))
        reasons.append(too_few_seeds(int(runs.loc[runs["model"] == model, "seed"].nunique()), f"{model}'s runs"))
    return reasons


def all_claims(
    runs: pd.DataFrame, published: pd.DataFrame, figure_models: dict[str, str], histories: dict[str, list[pd.DataFrame]]
) -> list[Claim]:
    """Every part-1 claim is decided on the training-time runs: a failed run leaves it not tested (C4, reported
    only, keeps its status), and `evidence_rules` make it inconclusive."""
    failures = failures_of(runs)
    claims = [
        (transformer_pattern(runs, published, figure_models["F3"]), [figure_models["F3"]]),
        (vd_beats_magnitude(runs, published, figure_models["F4"]), [figure_models["F4"]]),
        (extended_overtakes(runs, published, figure_models["F5"]), [figure_models["F5"]]),
        (l0_fails_at_scale(runs, published, figure_models["F4"]), []),
        (magnitude_competitive_and_cheap(runs), sorted(runs["model"].unique())),
    ]
    ruled = [inconclusive_if(claim, *evidence_rules(runs, histories, models)) for claim, models in claims]
    return [claim if claim.reported_only else untested_if_failed(claim, failures) for claim in ruled]
