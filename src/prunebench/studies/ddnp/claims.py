"""002 claims decided on 002-T1 (seed means of the runs here, and the document's reported rows) and on the search
curves of 002-F4 (soft vs hard top-k, the importance generator's architecture and output function). A claim about a
method or variant with no runs is "not tested", naming what is missing.

F4's claims share one definition (that of the other studies): A beats B at a FLOPs budget when A's seed-mean held-out
accuracy at the end of the search is above B's by more than MARGIN_POINTS and by more than the larger of the two seed
standard deviations (0 for a single seed); a claim holds when A beats each B at every budget of every (dataset, model).
"""

from __future__ import annotations

import pandas as pd

from prunebench.claims import Claim, failures_of, untested_if_failed
from prunebench.studies.ddnp.search_results import F4_COMPARISONS, final_accuracy

DDNP, DP = "ddnp", "dp"  # the registered names of the two search methods
MARGIN_POINTS = 0.5  # accuracy points: see the module docstring
BEATS = (
    "A beats B at a budget: seed-mean held-out accuracy at the last search epoch above B's by more than"
    f" {MARGIN_POINTS:g} point and more than the larger seed std; at every budget of every (dataset, model)"
)
SPREAD_CLAIMS = ("002-C3", "002-C4", "002-C5")  # the claims whose test weighs the seed spread (prunebench.claims rules)


def _runs(table: pd.DataFrame, method: str) -> pd.DataFrame:
    return table[(table["source"] == "run here") & (table["method"] == method)]


def _missing(*methods: str) -> str:
    return f"no runs of {', '.join(methods)} in 002-T1"


def ddnp_beats_dp(table: pd.DataFrame) -> Claim:
    document = (
        "DDNP finds better sub-networks than differentiable pruning (DP), most clearly at the higher pruning rate (Fig."
        " 4 a, e; p = 0.5 and 0.35)"
    )
    test = (
        "seed-mean pruned test accuracy of ddnp above dp at every FLOPs budget of every (dataset, model), and the gap"
        " at the largest FLOPs reduction at least the gap at the smallest"
    )
    keys = ["dataset", "model", "target_flops_reduction"]
    ddnp, dp = _runs(table, DDNP), _runs(table, DP)
    pairs = ddnp.merge(dp, on=keys, suffixes=("_ddnp", "_dp"))
    if pairs.empty:
        return Claim("002-C1", document, test, _missing(DDNP, DP), None)
    pairs["gap"] = 100 * (pairs["pruned_accuracy_mean_ddnp"] - pairs["pruned_accuracy_mean_dp"])
    holds = bool((pairs["gap"] > 0).all())
    for _, group in pairs.groupby(["dataset", "model"]):
        ordered = group.sort_values("target_flops_reduction")
        holds &= bool(ordered["gap"].iloc[-1] >= ordered["gap"].iloc[0])
    observed = "; ".join(
        f"{r.dataset}/{r.model} at {r.target_flops_reduction:g}: {r.gap:+.2f} points" for r in pairs.itertuples()
    )
    return Claim("002-C1", document, test, observed, holds)


def ddnp_within_reported_range(table: pd.DataFrame) -> Claim:
    reported = table[table["source"] == "reported"]
    low, high = 100 * reported["delta_accuracy_mean"].min(), 100 * reported["delta_accuracy_mean"].max()
    document = (
        "DDNP's accuracy change after pruning is competitive with the other methods at about the same FLOPs reduction"
        " (Table 1)"
    )
    test = (
        "seed-mean delta accuracy (pruned - baseline) of every ddnp row at least the lowest delta reported in Table 1"
        f" ({low:+.2f} points; highest {high:+.2f})"
    )
    ddnp = _runs(table, DDNP)
    if ddnp.empty:
        return Claim("002-C2", document, test, _missing(DDNP), None)
    deltas = 100 * ddnp["delta_accuracy_mean"]
    observed = "; ".join(
        f"{r.dataset}/{r.model}: {100 * r.delta_accuracy_mean:+.2f} points at {100 * r.flops_reduction_mean:.1f}% fewer"
        " FLOPs"
        for r in ddnp.itertuples()
    )
    return Claim("002-C2", document, test, observed, bool((deltas >= low).all()))


def beats_everywhere(summary: pd.DataFrame, winner: str, losers: list[str]) -> tuple[bool | None, str]:
    """Whether `winner` beats every one of `losers` (variants) at every budget, and the gaps observed."""
    present = set(summary["variant"])
    missing = [v for v in [winner, *losers] if v not in present]
    if missing:
        return None, f"no searches of {', '.join(missing)}"
    keys = ["dataset", "model", "target_flops_reduction"]
    won, observed = True, []
    for loser in losers:
        pairs = summary[summary["variant"] == winner].merge(
            summary[summary["variant"] == loser], on=keys, suffixes=("_a", "_b")
        )
        for r in pairs.itertuples():
            gap = 100 * (r.heldout_accuracy_mean_a - r.heldout_accuracy_mean_b)
            spread = 100 * max(
                0.0 if pd.isna(r.heldout_accuracy_std_a) else r.heldout_accuracy_std_a,
                0.0 if pd.isna(r.heldout_accuracy_std_b) else r.heldout_accuracy_std_b,
            )
            won &= gap > MARGIN_POINTS and gap > spread
            budget = "both within budget" if r.within_budget_a and r.within_budget_b else "NOT both within budget"
            observed.append(
                f"vs {loser}, {r.dataset}/{r.model} at {r.target_flops_reduction:g}: {gap:+.2f} points (larger std"
                f" {spread:.2f}; {budget})"
            )
    return won, "; ".join(observed)


def search_claims(curves: pd.DataFrame | None) -> list[Claim]:
    """002-C3..C5 on 002-F4's curves (None: the config runs no searches); a failed search of the variants a claim
    compares leaves it not tested."""
    summary = final_accuracy(curves) if curves is not None else pd.DataFrame(columns=["variant"])
    specs = [
        (
            "002-C3",
            (
                "Soft top-k (the smoothstep window) finds better sub-networks during the search than hard top-k (Fig. 4"
                " b, f)"
            ),
            F4_COMPARISONS["soft vs hard top-k"],
        ),
        (
            "002-C4",
            (
                "The GRU+FC importance generator g_s beats simpler ones (an FC layer, one parameter per channel) (Fig."
                " 4 c, g)"
            ),
            F4_COMPARISONS["g_s architecture"],
        ),
        (
            "002-C5",
            "The sigmoid output function of g_s beats abs and square (Fig. 4 d, h)",
            F4_COMPARISONS["g_s output function"],
        ),
    ]
    claims = []
    for claim_id, document, (winner, *losers) in specs:
        holds, observed = beats_everywhere(summary, winner, losers)
        failures = failures_of(summary[summary["variant"].isin([winner, *losers])])  # a failed search it compares
        claims.append(
            untested_if_failed(
                Claim(claim_id, document, f"{winner} beats each of {', '.join(losers)} ({BEATS})", observed, holds),
                failures,
            )
        )
    return claims


def all_claims(table: pd.DataFrame, curves: pd.DataFrame | None = None) -> list[Claim]:
    """C1-C2 are decided on the runs of 002-T1: a failed run leaves them not tested. C3-C5 on the searches."""
    failures = failures_of(table)
    return [
        untested_if_failed(ddnp_beats_dp(table), failures),
        untested_if_failed(ddnp_within_reported_range(table), failures),
        *search_claims(curves),
    ]
