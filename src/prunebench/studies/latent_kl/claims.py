"""001 claims: the document's qualitative findings, decided on 001-B2 (seed means) and 001-B1 with stated thresholds."""
from __future__ import annotations

import pandas as pd

from prunebench.claims import Claim

CONCORDANCE = 0.75  # method-pair concordance that counts as "the orderings match"
ALPHA = 0.05
MAJORITY = 0.75  # fraction of (method, sparsity) cells that counts as "in general"


def _last_epoch(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows of the last fine-tuning epoch of each (dataset, model)."""
    return summary[summary["epoch"] == summary.groupby(["dataset", "model"])["epoch"].transform("max")]


def lowest_smallest(summary: pd.DataFrame) -> Claim:
    cells = ap2_wins = pd_wins = 0
    for _, cell in summary.groupby(["dataset", "model", "sparsity"], sort=False):
        means = cell.groupby("variant")[["ap2_mean", "pd_test_mean"]].mean()  # over fine-tuning epochs
        cells += 1
        ap2_wins += int(means["ap2_mean"].idxmin() == "lowest")
        pd_wins += int(means["pd_test_mean"].idxmin() == "lowest")
    return Claim(
        "001-C1", "Lowest-magnitude pruning has the smallest AP2 and the smallest performance difference.",
        "in every (dataset, model, sparsity), averaged over fine-tuning epochs, `lowest` has the smallest mean AP2 and the smallest mean test PD",
        f"lowest has the smallest AP2 in {ap2_wins}/{cells} and the smallest test PD in {pd_wins}/{cells} (dataset, model, sparsity) cells",
        ap2_wins == cells and pd_wins == cells,
    )


def _concordance(rank: pd.DataFrame, divergence: str, split: str) -> pd.Series:
    part = rank[(rank["divergence"] == divergence) & (rank["split"] == split)]
    return part.set_index(["dataset", "model"])["method_pair_concordance"]


def ordering_matches(rank: pd.DataFrame) -> Claim:
    values = _concordance(rank, "AP2", "test")
    text = "; ".join(f"{d}/{m}: {v:.2f}" for (d, m), v in values.items())
    return Claim(
        "001-C2", "Lemma 2: when one method's AP2 is below another's, its PD is below too (the orderings of methods by AP2 and by PD match).",
        f"method-pair concordance of AP2 with test PD within each (sparsity, epoch) >= {CONCORDANCE:g} for every dataset and model (0.5 = chance)",
        f"concordance: {text}", bool((values >= CONCORDANCE).all()),
    )


def ap3_separates_as_well(rank: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for split in ("test", "train"):
        ap2, ap3 = _concordance(rank, "AP2", split), _concordance(rank, "AP3 Student-T", split)
        for key in ap2.index:
            observed.append(f"{key[0]}/{key[1]} {split}: AP3-T {ap3[key]:.2f} vs AP2 {ap2[key]:.2f}")
            holds &= bool(ap3[key] >= ap2[key])
    return Claim(
        "001-C3", "AP3 (Student-T) separates the pruning methods at least as well as AP2.",
        "method-pair concordance with PD of AP3 Student-T >= that of AP2, for every dataset, model and split",
        "; ".join(observed), holds,
    )


def _rank_claim(rank: pd.DataFrame, claim_id: str, divergences: list[str], document: str) -> Claim:
    part = rank[rank["divergence"].isin(divergences)]
    observed = [
        f"{r.divergence} {r.dataset}/{r.model} {r.split}: rho={r.spearman:.2f} (p={r.spearman_p:.2g}), tau={r.kendall:.2f}"
        for r in part.itertuples()
    ]
    holds = bool(((part["spearman"] > 0) & (part["spearman_p"] < ALPHA)).all())
    return Claim(
        claim_id, document,
        f"Spearman rank correlation with PD over all (method, sparsity, epoch) > 0 with p < {ALPHA:g}, for every dataset, model and split",
        "; ".join(observed), holds,
    )


def sparsity_increases(summary: pd.DataFrame) -> Claim:
    last = _last_epoch(summary)
    cells = ok = 0
    for _, part in last.groupby(["dataset", "model", "variant"], sort=False):
        part = part.sort_values("sparsity")
        lo, hi = part.iloc[0], part.iloc[-1]
        cells += 1
        ok += int(hi["ap2_mean"] > lo["ap2_mean"] and hi["pd_test_mean"] > lo["pd_test_mean"])
    return Claim(
        "001-C6", "Higher sparsity gives larger AP2 and larger PD.",
        "for every (dataset, model, method), after the last fine-tuning epoch, AP2 and test PD at the largest sparsity exceed those at the smallest",
        f"both larger in {ok}/{cells} (dataset, model, method) cells", ok == cells,
    )


def finetuning_shrinks_pd(summary: pd.DataFrame) -> Claim:
    first = summary[summary["epoch"] == 0].set_index(["dataset", "model", "variant", "sparsity"])
    last = _last_epoch(summary).set_index(["dataset", "model", "variant", "sparsity"])
    shrinks = last["pd_test_mean"] < first["pd_test_mean"]
    ap2_grows = last["ap2_mean"] > first["ap2_mean"]
    fraction = float(shrinks.mean())
    return Claim(
        "001-C7", "Theorem 2: fine-tuning the pruned network brings its performance towards the dense network's (PD shrinks).",
        f"test PD after the last fine-tuning epoch < PD right after pruning in at least {MAJORITY:.0%} of (dataset, model, method, sparsity) cells",
        f"PD shrinks in {int(shrinks.sum())}/{len(shrinks)} cells; meanwhile AP2 grows in {int(ap2_grows.sum())}/{len(ap2_grows)} (the weights move away from the dense ones)",
        fraction >= MAJORITY,
    )


def all_claims(summary: pd.DataFrame, rank: pd.DataFrame) -> list[Claim]:
    return [
        lowest_smallest(summary),
        ordering_matches(rank),
        ap3_separates_as_well(rank),
        _rank_claim(rank, "001-C4", ["AP2"], "Lemma 2: the performance difference grows with AP2 (rank correlation, test and train)."),
        _rank_claim(
            rank, "001-C5", ["AP3 Student-T", "AP3 Gaussian (AR(1) cov.)"],
            "Lemma 2 / Corollary 2: the performance difference grows with AP3 (Student-T and non-diagonal Gaussian projections).",
        ),
        sparsity_increases(summary),
        finetuning_shrinks_pd(summary),
    ]
