"""001 claims: the document's qualitative findings, decided on 001-B2 (seed means) and 001-B1 with stated thresholds."""

from __future__ import annotations

import pandas as pd

from prunebench.claims import Claim, failures_of, finished_rows, untested_if_failed
from prunebench.studies.latent_kl.tables import DIVERGENCES, PERMUTATIONS

CONCORDANCE = 0.75  # method-pair concordance that counts as "the orderings match"
ALPHA = 0.05
MAJORITY = 0.75  # fraction of (method, sparsity) cells that counts as "in general"
MONOTONE = 0.99  # Spearman of AP3-T with the grouped squared distance that counts as "the same ordering"


def _last_epoch(summary: pd.DataFrame) -> pd.DataFrame:
    """The rows of the last fine-tuning epoch of each (dataset, model)."""
    return summary[summary["epoch"] == summary.groupby(["dataset", "model"])["epoch"].transform("max")]


def lowest_smallest(summary: pd.DataFrame) -> Claim:
    cells = ap2_first = ap2_wins = pd_wins = 0
    for _, cell in summary.groupby(["dataset", "model", "sparsity"], sort=False):
        means = cell.groupby("variant")[["ap2_mean", "pd_test_mean"]].mean()  # over fine-tuning epochs
        first = cell[cell["epoch"] == 0].set_index("variant")["ap2_mean"]
        cells += 1
        ap2_first += int(first.idxmin() == "lowest")
        ap2_wins += int(means["ap2_mean"].idxmin() == "lowest")
        pd_wins += int(means["pd_test_mean"].idxmin() == "lowest")
    return Claim(
        "001-C1",
        "Lowest-magnitude pruning has the smallest AP2 and the smallest performance difference.",
        "decided by the PD half: in every (dataset, model, sparsity), averaged over fine-tuning epochs, `lowest` has"
        " the smallest mean test PD. The AP2 half holds by construction right after pruning: ||w - w*m||^2 is the sum"
        " of the squared removed weights, which removing the smallest |w| minimizes among all masks of that size, so it"
        " is reported, not tested",
        f"lowest has the smallest test PD in {pd_wins}/{cells} (dataset, model, sparsity) cells; the smallest AP2 right"
        f" after pruning in {ap2_first}/{cells} (by construction) and averaged over fine-tuning epochs in"
        f" {ap2_wins}/{cells}",
        pd_wins == cells,
    )


def _b1_column(rank: pd.DataFrame, divergence: str, split: str, column: str) -> pd.Series:
    part = rank[(rank["divergence"] == DIVERGENCES[divergence]) & (rank["split"] == split)]
    return part.set_index(["dataset", "model"])[column]


def ordering_matches(rank: pd.DataFrame) -> Claim:
    values = _b1_column(rank, "ap2", "test", "method_pair_concordance")
    text = "; ".join(f"{d}/{m}: {v:.2f}" for (d, m), v in values.items())
    return Claim(
        "001-C2",
        "Lemma 2: when one method's AP2 is below another's, its PD is below too (the orderings of methods by AP2 and by"
        " PD match).",
        f"method-pair concordance of AP2 with test PD within each (sparsity, epoch) >= {CONCORDANCE:g} for every"
        " dataset and model (0.5 = chance)",
        f"concordance: {text}",
        bool((values >= CONCORDANCE).all()),
    )


def ap3_separates_as_well(rank: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for split in ("test", "train"):
        concordance = {
            d: _b1_column(rank, d, split, "method_pair_concordance") for d in ("ap2", "ap3_student_t", "ap2_grouped")
        }
        for key in concordance["ap2"].index:
            ap2, ap3, grouped = (concordance[d][key] for d in ("ap2", "ap3_student_t", "ap2_grouped"))
            observed.append(
                f"{key[0]}/{key[1]} {split}: AP3-T {ap3:.2f} vs AP2 {ap2:.2f} (grouped squared distance {grouped:.2f})"
            )
            holds &= bool(ap3 >= ap2)
    same = _b1_column(rank, "ap3_student_t", "test", "spearman_with_ap2_grouped")
    for (dataset, model), rho in same.items():
        adds = (
            "AP3-T adds nothing to the grouped squared distance here"
            if rho >= MONOTONE
            else (
                f"AP3-T departs from the grouped squared distance (Spearman < {MONOTONE:g}): Monte-Carlo error reorders"
                " pairs"
            )
        )
        observed.append(f"{dataset}/{model}: Spearman of AP3-T with the grouped squared distance {rho:.3f}: {adds}")
    return Claim(
        "001-C3",
        "AP3 (Student-T) separates the pruning methods at least as well as AP2.",
        "method-pair concordance with PD of AP3 Student-T >= that of AP2, for every dataset, model and split. With one"
        " df for both and the identity scale (the document's setting), the Student-T KL depends on the two means only"
        " through ||g(w) - g(w_pruned)||^2, the squared distance of the weights averaged over the `dims` groups, and"
        " grows with it: AP3-T orders pairs as that grouped squared distance does (their Spearman over every per-seed"
        f" value, below 1 only by Monte-Carlo error; >= {MONOTONE:g} counts as the same ordering). What AP3-T can add"
        " to AP2 here is the grouping of the weights, not the Student-T distribution; the grouped distance's"
        " concordance is shown beside it",
        "; ".join(observed),
        holds,
    )


def _rank_claim(rank: pd.DataFrame, claim_id: str, divergences: list[str], document: str) -> Claim:
    part = rank[rank["divergence"].isin([DIVERGENCES[d] for d in divergences])]
    observed = [
        f"{r.divergence} {r.dataset}/{r.model} {r.split}: rho={r.spearman:.2f} (chain-permutation"
        f" p={r.chain_permutation_p:.2g} over {r.permutations:,} pairings of {r.chains} chains x {r.points // r.chains}"
        f" epochs; per-epoch rho {r.epoch_spearman_min:.2f} to {r.epoch_spearman_max:.2f}), tau={r.kendall:.2f}"
        for r in part.itertuples()
    ]
    holds = bool(((part["spearman"] > 0) & (part["chain_permutation_p"] < ALPHA)).all())
    return Claim(
        claim_id,
        document,
        "Spearman rank correlation with PD over all (method, sparsity, epoch) > 0 with a one-sided permutation p <"
        f" {ALPHA:g}, for every dataset, model and split. The epochs of one (method, sparsity) form an autocorrelated"
        " chain, so whole chains are permuted (chain i's divergence trajectory paired with chain pi(i)'s PD"
        f" trajectory): p = (1 + #{{permuted rho >= rho}}) / (1 + {PERMUTATIONS:,}) over random permutations, or the"
        " exact fraction over all of them when there are no more",
        "; ".join(observed),
        holds,
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
        "001-C6",
        "Higher sparsity gives larger AP2 and larger PD.",
        "for every (dataset, model, method), after the last fine-tuning epoch, AP2 and test PD at the largest sparsity"
        " exceed those at the smallest",
        f"both larger in {ok}/{cells} (dataset, model, method) cells",
        ok == cells,
    )


def finetuning_shrinks_pd(summary: pd.DataFrame) -> Claim:
    first = summary[summary["epoch"] == 0].set_index(["dataset", "model", "variant", "sparsity"])
    last = _last_epoch(summary).set_index(["dataset", "model", "variant", "sparsity"])
    shrinks = last["pd_test_mean"] < first["pd_test_mean"]
    ap2_grows = last["ap2_mean"] > first["ap2_mean"]
    fraction = float(shrinks.mean())
    return Claim(
        "001-C7",
        "Theorem 2: fine-tuning the pruned network brings its performance towards the dense network's (PD shrinks).",
        f"test PD after the last fine-tuning epoch < PD right after pruning in at least {MAJORITY:.0%} of (dataset,"
        " model, method, sparsity) cells",
        f"PD shrinks in {int(shrinks.sum())}/{len(shrinks)} cells; meanwhile AP2 grows in"
        f" {int(ap2_grows.sum())}/{len(ap2_grows)} (the weights move away from the dense ones)",
        fraction >= MAJORITY,
    )


def all_claims(summary: pd.DataFrame, rank: pd.DataFrame) -> list[Claim]:
    """Every claim is decided on 001-B2's seed means or 001-B1's correlations over them: a failed fine-tuning run
    leaves them all not tested (the reasons are in both tables' `failed`)."""
    failures = failures_of(summary) + failures_of(rank)
    summary, rank = finished_rows(summary), finished_rows(rank)
    claims = [
        lowest_smallest(summary),
        ordering_matches(rank),
        ap3_separates_as_well(rank),
        _rank_claim(
            rank,
            "001-C4",
            ["ap2"],
            "Lemma 2: the performance difference grows with AP2 (rank correlation, test and train).",
        ),
        _rank_claim(
            rank,
            "001-C5",
            ["ap3_student_t", "ap3_gaussian"],
            "Lemma 2 / Corollary 2: the performance difference grows with AP3 (Student-T and non-diagonal Gaussian"
            " projections).",
        ),
        sparsity_increases(summary),
        finetuning_shrinks_pd(summary),
    ]
    return [untested_if_failed(claim, failures) for claim in claims]
