"""002 claims decided on 002-T1 (seed means of the runs here, and the document's reported rows). A claim about a
method with no runs in the table is "not tested", naming what is missing. The claims read off the search curves
(002-F4: soft vs hard top-k, the importance generator's architecture and output function) belong with those figures.
"""
from __future__ import annotations

import pandas as pd

from prunebench.claims import Claim

DDNP, DP = "ddnp", "dp"  # the registered names of the two search methods


def _runs(table: pd.DataFrame, method: str) -> pd.DataFrame:
    return table[(table["source"] == "run here") & (table["method"] == method)]


def _missing(*methods: str) -> str:
    return f"no runs of {', '.join(methods)} in 002-T1"


def ddnp_beats_dp(table: pd.DataFrame) -> Claim:
    document = "DDNP finds better sub-networks than differentiable pruning (DP), most clearly at the higher pruning rate (Fig. 4 a, e; p = 0.5 and 0.35)"
    test = (
        "seed-mean pruned test accuracy of ddnp above dp at every FLOPs budget of every (dataset, model), and the gap at the "
        "largest FLOPs reduction at least the gap at the smallest"
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
    observed = "; ".join(f"{r.dataset}/{r.model} at {r.target_flops_reduction:g}: {r.gap:+.2f} points" for r in pairs.itertuples())
    return Claim("002-C1", document, test, observed, holds)


def ddnp_within_reported_range(table: pd.DataFrame) -> Claim:
    reported = table[table["source"] == "reported"]
    low, high = 100 * reported["delta_accuracy_mean"].min(), 100 * reported["delta_accuracy_mean"].max()
    document = "DDNP's accuracy change after pruning is competitive with the other methods at about the same FLOPs reduction (Table 1)"
    test = f"seed-mean delta accuracy (pruned - baseline) of every ddnp row at least the lowest delta reported in Table 1 ({low:+.2f} points; highest {high:+.2f})"
    ddnp = _runs(table, DDNP)
    if ddnp.empty:
        return Claim("002-C2", document, test, _missing(DDNP), None)
    deltas = 100 * ddnp["delta_accuracy_mean"]
    observed = "; ".join(
        f"{r.dataset}/{r.model}: {100 * r.delta_accuracy_mean:+.2f} points at {100 * r.flops_reduction_mean:.1f}% fewer FLOPs" for r in ddnp.itertuples()
    )
    return Claim("002-C2", document, test, observed, bool((deltas >= low).all()))


def all_claims(table: pd.DataFrame) -> list[Claim]:
    return [ddnp_beats_dp(table), ddnp_within_reported_range(table)]
