"""004 claims: each qualitative finding of the document, decided on the seed means of the measured tables.

One definition per notion, used by every claim that needs it:
- a significant accuracy drop at k (`significant_drop`): the seed-mean test accuracy at k lies below the dense
  (k = 0) mean by more than SIGNIFICANT_DROP_POINTS accuracy points and by more than the larger of the two seed
  standard deviations; pruning "degrades" the network at k when the drop is significant and leaves it "robust"
  at k when it is not;
- a trend (`falls_with_k`): Spearman's rank correlation of a quantity with k is at most TREND_RHO;
- unit pruning degrades more quickly (`paired_gaps`): where the document's curves part (every k of the sweep from
  LOW_K, where it reads unit pruning as already degraded, to HIGH_K, where it reads weight pruning as still robust),
  the per-seed gap weight minus unit test accuracy, paired by seed (both prune the same dense model), has a one-sided
  GAP_CONFIDENCE lower bound above SIGNIFICANT_DROP_POINTS at each k; it is shown absent where the upper bound lies
  below SIGNIFICANT_DROP_POINTS; between the two the gap is inside the seeds' noise floor (inconclusive).
Every claim on the trained runs is inconclusive where the dense models had not converged, and those weighing an
effect against the seed spread where there are fewer than MIN_SEEDS seeds (prunebench.claims).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from scipy.stats import t as student_t

from prunebench.claims import Claim, failures_of, inconclusive_if, still_rising, too_few_seeds, untested_if_failed

SIGNIFICANT_DROP_POINTS = 1.0  # accuracy points (and more than the seed spread): see `significant_drop`
TREND_RHO = -0.8  # Spearman(k, y) at most this: y falls with k
RANDOM_KS = 0.1  # KS distance below which elimination counts as random with respect to magnitude
HIGH_K = (
    80.0  # 004-C3: the k read as the document's "high pruning factor" (it names none) where weight pruning is robust
)
LOW_K = 50.0  # 004-C4: the k read as its "relatively low pruning factor" where unit pruning already degrades
GAP_CONFIDENCE = 0.95  # 004-C2: one-sided confidence of the bounds on the paired gap (Student's t over seeds)

SIGNIFICANT = (
    "significant drop at k: seed-mean test accuracy below the dense (k = 0) mean by more than "
    f"{SIGNIFICANT_DROP_POINTS:g} point and more than the larger of the two seed standard deviations"
)
TREND = f"Spearman(k, y) <= {TREND_RHO:g}"


def accuracy_curve(table: pd.DataFrame, variant: str) -> pd.DataFrame:
    """Test accuracy (%) of one variant against k (index, %): columns `mean` and `std` over seeds (0 for one seed)."""
    part = table[table["variant"] == variant].set_index("k_percent").sort_index()
    return pd.DataFrame({"mean": 100 * part["test_accuracy_mean"], "std": 100 * part["test_accuracy_std"].fillna(0.0)})


def drop(curve: pd.DataFrame, k: float) -> float:
    return float(curve.loc[0.0, "mean"] - curve.loc[k, "mean"])


def significant_drop(curve: pd.DataFrame, k: float) -> bool:
    """The one test of "degrades at k" (and, negated, of "robust at k")."""
    return bool(drop(curve, k) > max(SIGNIFICANT_DROP_POINTS, curve.loc[0.0, "std"], curve.loc[k, "std"]))


def falls_with_k(k, values) -> tuple[bool, float]:
    rho = float(spearmanr(k, values).statistic)
    return bool(rho <= TREND_RHO), rho


def _accuracy_at(curve: pd.DataFrame, k: float) -> str:
    return f"{curve.loc[k, 'mean']:.2f} ± {curve.loc[k, 'std']:.2f}% at k = {k:g}%"


def _drop_at(curve: pd.DataFrame, k: float) -> str:
    return f"{_accuracy_at(curve, k)} vs {_accuracy_at(curve, 0.0)}: drop {drop(curve, k):.2f} points"


def degrade_with_k(table: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for variant in ("weight", "unit"):
        curve = accuracy_curve(table, variant)
        top = float(curve.index[-1])
        falls, rho = falls_with_k(curve.index, curve["mean"])
        observed.append(f"{variant}: {_drop_at(curve, top)}, Spearman(k, accuracy) = {rho:.2f}")
        holds &= significant_drop(curve, top) and falls
    return Claim(
        "004-C1",
        "Performance degrades with increasing sparsity, for weight and for unit pruning.",
        f"for both: a significant drop at the largest k and mean accuracy falling with k ({TREND}); {SIGNIFICANT}",
        "; ".join(observed),
        holds,
    )


def paired_gaps(evaluations: pd.DataFrame) -> pd.DataFrame:
    """Per k: weight minus unit test accuracy (points) of each seed, their mean and one-sided GAP_CONFIDENCE bounds
    (Student's t; with one seed, or identical gaps, both bounds are the mean), and the number of seeds."""
    accuracy = evaluations.pivot_table(index=["k_percent", "seed"], columns="variant", values="test_accuracy")
    gaps = (100 * (accuracy["weight"] - accuracy["unit"])).dropna()
    rows = []
    for k, part in gaps.groupby(level="k_percent"):
        n, mean = len(part), float(part.mean())
        half = float(student_t.ppf(GAP_CONFIDENCE, n - 1) * part.std() / np.sqrt(n)) if n > 1 else 0.0
        rows.append({"k_percent": float(k), "seeds": n, "mean": mean, "lower": mean - half, "upper": mean + half})
    return pd.DataFrame(rows, columns=["k_percent", "seeds", "mean", "lower", "upper"]).set_index("k_percent")


def unit_degrades_earlier(evaluations: pd.DataFrame) -> Claim:
    gaps = paired_gaps(evaluations)
    parting = gaps[(gaps.index >= LOW_K) & (gaps.index <= HIGH_K)]
    test = (
        f"at every k of the sweep from {LOW_K:g} to {HIGH_K:g}% (where the document's curves part: unit pruning "
        "already degraded, weight pruning still robust), the per-seed gap weight minus unit test accuracy (paired by "
        f"seed) has a one-sided {100 * GAP_CONFIDENCE:g}% lower bound (Student's t) above {SIGNIFICANT_DROP_POINTS:g} "
        f"point; it does not hold where the upper bound is below {SIGNIFICANT_DROP_POINTS:g} point; a gap between the "
        "two is inside the seeds' noise floor (inconclusive)"
    )
    document = "Degradation occurs much more quickly in the unit-pruned network than in the weight-pruned one."
    if parting.empty:
        return Claim("004-C2", document, test, f"no k of the sweep within {LOW_K:g}-{HIGH_K:g}%", None)
    above = parting["lower"] > SIGNIFICANT_DROP_POINTS
    below = parting["upper"] < SIGNIFICANT_DROP_POINTS
    observed = "gap weight - unit (points, mean [one-sided bounds], seeds): " + "; ".join(
        f"k = {k:g}%: {r['mean']:.2f} [{r['lower']:.2f}, {r['upper']:.2f}], {int(r['seeds'])}"
        for k, r in parting.iterrows()
    )
    claim = Claim("004-C2", document, test, observed, bool(above.all()))
    noisy = [f"{k:g}%" for k in parting.index[~above & ~below]]
    floor = ""
    if noisy and not below.any():
        floor = f"inside the noise floor: the gap at k = {', '.join(noisy)} is within the seeds' spread"
    return inconclusive_if(claim, floor, too_few_seeds(int(parting["seeds"].min()), "the paired gap"))


def _drop_claim(table: pd.DataFrame, variant: str, k: float, degrades: bool, claim_id: str, document: str) -> Claim:
    curve = accuracy_curve(table, variant)
    verdict = "a significant drop" if degrades else "no significant drop"
    test = f"{variant} pruning at k = {k:g}% shows {verdict}; {SIGNIFICANT}"
    if k not in curve.index:
        return Claim(claim_id, document, test, f"k = {k:g}% not in the sweep", None)
    return Claim(claim_id, document, test, f"{variant}: {_drop_at(curve, k)}", significant_drop(curve, k) == degrades)


def weight_pruning_robust(table: pd.DataFrame) -> Claim:
    return _drop_claim(
        table,
        "weight",
        HIGH_K,
        False,
        "004-C3",
        "Weight-pruned performance decreases significantly only at a high pruning factor (robust to pruning).",
    )


def unit_pruning_fragile(table: pd.DataFrame) -> Claim:
    return _drop_claim(
        table,
        "unit",
        LOW_K,
        True,
        "004-C4",
        "Unit-pruned performance decreases significantly even at a relatively low pruning factor.",
    )


def unit_eliminates_at_random(ks: pd.DataFrame, k: float) -> Claim:
    at_k = ks[ks["k_percent"] == k].groupby("variant")["ks_statistic"]
    mean, worst = at_k.mean(), at_k.max()
    return Claim(
        "004-C5",
        "Theorem 1: unit pruning eliminates weights nearly at random with respect to magnitude; weight pruning"
        " eliminates exactly the smallest.",
        f"at k = {k:g}%, KS(eliminated |w|, surviving |w|) is below {RANDOM_KS:g} in every layer and seed for unit"
        " pruning and 1 for weight pruning",
        f"KS per layer and seed at k = {k:g}%: unit mean {mean['unit']:.3f} (max {worst['unit']:.3f}); weight mean"
        f" {mean['weight']:.3f}",
        bool(worst["unit"] < RANDOM_KS and at_k.min()["weight"] >= 0.999),
    )


def sparse_forward_faster(times: pd.DataFrame) -> Claim:
    observed, holds = [], True
    coo = times[times["execution"] == "coo"]
    for variant in ("weight", "unit"):
        part = coo[coo["variant"] == variant].sort_values("k_percent")
        falls, rho = falls_with_k(part["k_percent"], part["median_ms"])
        top = part.iloc[-1]
        observed.append(
            f"{variant}: Spearman(k, time) = {rho:.2f}, COO {top['speedup_vs_dense']:.2f}x dense at k ="
            f" {top['k_percent']:g}%"
        )
        holds &= falls
    return Claim(
        "004-C6",
        "Forward time of a minibatch of 100 decreases with k for weight and unit pruning with sparse (COO) matrices.",
        f"median COO forward time falls with k ({TREND}), for both; a timing: it depends on the machine and its load"
        " and is not covered by the bitwise rerun guarantee",
        "; ".join(observed),
        holds,
    )


def all_claims(
    table: pd.DataFrame,
    ks: pd.DataFrame,
    times: pd.DataFrame,
    histogram_k: float,
    evaluations: pd.DataFrame,
    histories: list[pd.DataFrame],
) -> list[Claim]:
    """C1-C5 are decided on the trained runs of 004-T1 (C2 on their per-seed evaluations, C5 on their weights): a
    failed run leaves them not tested, dense models still learning leave them inconclusive, and so does a single
    seed those that weigh a drop against the seed spread (C1, C3, C4; C2 counts its own). C6 times the pruned
    network's forward pass, whatever its weights."""
    failures = failures_of(table)
    rising = still_rising(histories, "the dense models pruned")
    seeds = too_few_seeds(int(evaluations["seed"].nunique()), "004-T1")
    decided_on_runs = [
        inconclusive_if(degrade_with_k(table), rising, seeds),
        inconclusive_if(unit_degrades_earlier(evaluations), rising),
        inconclusive_if(weight_pruning_robust(table), rising, seeds),
        inconclusive_if(unit_pruning_fragile(table), rising, seeds),
        inconclusive_if(unit_eliminates_at_random(ks, histogram_k), rising),
    ]
    return [*(untested_if_failed(claim, failures) for claim in decided_on_runs), sparse_forward_faster(times)]
