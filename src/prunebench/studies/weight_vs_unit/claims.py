"""004 claims: each qualitative finding of the document, decided on the measured tables with stated thresholds."""
from __future__ import annotations

import math

import pandas as pd
from scipy.stats import spearmanr

from prunebench.claims import Claim

SIGNIFICANT_DROP = 5.0  # accuracy points below dense that count as "performance degrades"
ROBUST_DROP = 1.0  # accuracy points below dense that still count as "robust"
RANDOM_KS = 0.1  # KS distance below which elimination counts as random with respect to magnitude


def _accuracy(table: pd.DataFrame, variant: str) -> pd.Series:
    part = table[table["variant"] == variant].set_index("k_percent")
    return 100 * part["test_accuracy_mean"]


def _critical_k(accuracy: pd.Series) -> float:
    """Smallest k whose accuracy lies more than SIGNIFICANT_DROP points below dense (inf if none)."""
    dropped = accuracy[accuracy < accuracy.loc[0.0] - SIGNIFICANT_DROP]
    return float(dropped.index.min()) if len(dropped) else math.inf


def degrade_with_k(table: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for variant in ("weight", "unit"):
        acc = _accuracy(table, variant)
        rho = spearmanr(acc.index, acc.to_numpy()).statistic
        observed.append(f"{variant}: {acc.iloc[0]:.2f}% at k=0 -> {acc.iloc[-1]:.2f}% at k={acc.index[-1]:g}%, Spearman(k, acc) = {rho:.2f}")
        holds &= bool(acc.iloc[-1] < acc.iloc[0] and rho <= -0.8)
    return Claim(
        "004-C1", "Performance degrades with increasing sparsity, for weight and for unit pruning.",
        "test accuracy at the largest k is below dense and Spearman(k, accuracy) <= -0.8, for both", "; ".join(observed), holds,
    )


def unit_degrades_earlier(table: pd.DataFrame) -> Claim:
    weight, unit = _critical_k(_accuracy(table, "weight")), _critical_k(_accuracy(table, "unit"))
    return Claim(
        "004-C2", "Degradation occurs much more quickly in the unit-pruned network than in the weight-pruned one.",
        f"the first k losing more than {SIGNIFICANT_DROP:g} accuracy points is smaller for unit than for weight pruning",
        f"first k with a drop > {SIGNIFICANT_DROP:g} points: unit {unit:g}%, weight {weight:g}%",
        unit < weight,
    )


def _drop_at(table: pd.DataFrame, variant: str, k: float) -> float | None:
    acc = _accuracy(table, variant)
    return float(acc.loc[0.0] - acc.loc[k]) if k in acc.index else None


def weight_pruning_robust(table: pd.DataFrame, k: float = 80.0) -> Claim:
    drop = _drop_at(table, "weight", k)
    return Claim(
        "004-C3", "Weight-pruned performance decreases significantly only at a high pruning factor (robust to pruning).",
        f"weight pruning at k = {k:g}% loses at most {ROBUST_DROP:g} accuracy point",
        "k not in the sweep" if drop is None else f"drop at k = {k:g}%: {drop:.2f} points",
        None if drop is None else drop <= ROBUST_DROP,
    )


def unit_pruning_fragile(table: pd.DataFrame, k: float = 50.0) -> Claim:
    drop = _drop_at(table, "unit", k)
    return Claim(
        "004-C4", "Unit-pruned performance decreases significantly even at a relatively low pruning factor.",
        f"unit pruning at k = {k:g}% loses more than {ROBUST_DROP:g} accuracy point",
        "k not in the sweep" if drop is None else f"drop at k = {k:g}%: {drop:.2f} points",
        None if drop is None else drop > ROBUST_DROP,
    )


def unit_eliminates_at_random(ks: pd.DataFrame, k: float) -> Claim:
    at_k = ks[ks["k_percent"] == k].groupby("variant")["ks_statistic"]
    mean, worst = at_k.mean(), at_k.max()
    return Claim(
        "004-C5", "Theorem 1: unit pruning eliminates weights nearly at random with respect to magnitude; weight pruning eliminates exactly the smallest.",
        f"at k = {k:g}%, KS(eliminated |w|, surviving |w|) is below {RANDOM_KS:g} in every layer for unit pruning and 1 for weight pruning",
        f"KS per layer at k = {k:g}%: unit mean {mean['unit']:.3f} (max {worst['unit']:.3f}); weight mean {mean['weight']:.3f}",
        bool(worst["unit"] < RANDOM_KS and at_k.min()["weight"] >= 0.999),
    )


def sparse_forward_faster(times: pd.DataFrame) -> Claim:
    observed, holds = [], True
    coo = times[times["execution"] == "coo"]
    for variant in ("weight", "unit"):
        part = coo[coo["variant"] == variant].sort_values("k_percent")
        rho = spearmanr(part["k_percent"], part["median_ms"]).statistic
        top = part.iloc[-1]
        observed.append(f"{variant}: COO speedup over dense {top['speedup_vs_dense']:.2f}x at k={top['k_percent']:g}%, Spearman(k, time) = {rho:.2f}")
        holds &= bool(top["speedup_vs_dense"] > 2 and rho <= -0.8)
    return Claim(
        "004-C6", "Forward time of a minibatch of 100 decreases significantly with k for weight and unit pruning with sparse (COO) matrices.",
        "COO forward time falls with k (Spearman <= -0.8) and is over 2x faster than dense at the largest k, for both",
        "; ".join(observed), holds,
    )


def all_claims(table: pd.DataFrame, ks: pd.DataFrame, times: pd.DataFrame, histogram_k: float) -> list[Claim]:
    return [
        degrade_with_k(table),
        unit_degrades_earlier(table),
        weight_pruning_robust(table),
        unit_pruning_fragile(table),
        unit_eliminates_at_random(ks, histogram_k),
        sparse_forward_faster(times),
    ]
