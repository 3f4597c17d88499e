"""000 claims: the document's qualitative findings and its follow-up's hypotheses, decided on the tables."""

from __future__ import annotations

import math

import pandas as pd
from scipy.stats import spearmanr

from prunebench.claims import Claim, failures_of, finished_rows, untested_if_failed
from prunebench.data.dsprites import SHAPES
from prunebench.studies.disentangle.protocol import collapsed

RATIO_SPREAD = 0.05  # pruned/unpruned size ratios within 0.05 of each other count as "the same"
RANK_CORRELATION = 0.5  # Spearman rho at least this counts as "increases with"
HEAD_REMOVAL_TOLERANCE = 1.0  # accuracy points the phase after head removal may lose and still "keep" accuracy
# The follow-up measures something (000-C9) when every shape classifier (the one T1 reports and pruning starts from,
# after head removal) is this far above chance, and the latent's MIG after the first phase exceeds the untrained
# encoder's by at least this much (and the seed spread).
INFORMATIVE_ACCURACY_MARGIN = 0.20
INFORMATIVE_MIG_MARGIN = 0.05
SPREAD_TEST = "by more than the larger of their seed stds"  # the one definition of "beyond the seed spread"
SPREAD_CLAIMS = ("000-C3", "000-C4", "000-C9")  # the claims whose test weighs the seed spread (prunebench.claims rules)
SHAPE_CLASSES = len(SHAPES)  # the classes of the datasets with factors (dSprites: square, ellipse, heart)


def _std(value) -> float:
    return 0.0 if pd.isna(value) else float(value)


def beyond_seed_spread(larger_mean: float, larger_std, smaller_mean: float, smaller_std) -> bool:
    """Whether `larger_mean` exceeds `smaller_mean` by more than the larger of the two seed stds (a single seed's
    NaN std counts as 0): the one test of "beyond the seed spread" of every 000 claim."""
    return larger_mean - smaller_mean > max(_std(larger_std), _std(smaller_std))


def cnn_beats_vae(t1: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for dataset, part in t1.groupby("dataset", sort=False):
        for pruned in (False, True):
            rows = part[part["pruned"] == pruned]
            cnn = rows[rows["beta"].isna()]["accuracy_mean"]
            vae = rows[rows["beta"].notna()]
            if cnn.empty or vae.empty:
                continue
            best = vae.loc[vae["accuracy_mean"].idxmax()]
            observed.append(
                f"{dataset}{' pruned' if pruned else ''}: CNN {cnn.iloc[0]:.2f}% vs best Beta-VAE"
                f" (beta={best['beta']:g}) {best['accuracy_mean']:.2f}%"
            )
            holds &= bool(cnn.iloc[0] > best["accuracy_mean"])
    return Claim(
        "000-C1",
        "The CNN-Classif baseline outperforms every Beta-VAE-Classif model, with and without pruning.",
        "mean test accuracy of CNN-Classif above that of every beta, unpruned and pruned, on every dataset",
        "; ".join(observed) or "no CNN-Classif / Beta-VAE-Classif pair",
        holds if observed else None,
    )


def same_compression_ratio(t1: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for dataset, part in t1.groupby("dataset", sort=False):
        sizes = part.pivot_table(index="config_model", columns="pruned", values="size_mean", sort=False)
        ratios = sizes[True] / sizes[False]
        spread = ratios.max() - ratios.min()
        observed.append(f"{dataset}: ratio {ratios.min():.3f}..{ratios.max():.3f} (spread {spread:.3f})")
        holds &= bool(spread <= RATIO_SPREAD)
    return Claim(
        "000-C2",
        "The compression ratio of pruned to unpruned model is essentially the same among all models.",
        f"pruned/unpruned mean gzip size ratios of all models within {RATIO_SPREAD:g} of each other, per dataset",
        "; ".join(observed),
        holds,
    )


def _beta_rows(t1: pd.DataFrame, pruned: bool) -> pd.DataFrame:
    return t1[(t1["pruned"] == pruned) & t1["beta"].notna()].set_index("beta")


def beta_prunes_better(t1: pd.DataFrame) -> Claim:
    observed, results = [], []
    for dataset, part in t1.groupby("dataset", sort=False):
        pruned = _beta_rows(part, True)
        if 1 not in pruned.index or not (pruned.index > 1).any():
            continue
        base = pruned.loc[1]
        better = [
            b
            for b, row in pruned[pruned.index > 1].iterrows()
            if beyond_seed_spread(
                row["accuracy_mean"], row["accuracy_std"], base["accuracy_mean"], base["accuracy_std"]
            )
        ]
        observed.append(
            f"{dataset}: pruned beta=1 {base['accuracy_mean']:.2f}%; "
            + ", ".join(f"beta={b:g} {r['accuracy_mean']:.2f}%" for b, r in pruned[pruned.index > 1].iterrows())
            + f" (beyond seed spread: {', '.join(f'{b:g}' for b in better) or 'none'})"
        )
        results.append(bool(better))
    return Claim(
        "000-C3",
        "For some beta > 1 the pruned Beta-VAE-Classif is more accurate than for beta = 1 (the preliminary hint).",
        f"some beta > 1 has a pruned mean accuracy above beta = 1's {SPREAD_TEST}, on some dataset",
        "; ".join(observed) or "beta = 1 and a beta > 1 are not both configured",
        any(results) if results else None,
    )


def beta_loses_less(t1: pd.DataFrame) -> Claim:
    observed, results = [], []
    for dataset, part in t1.groupby("dataset", sort=False):
        pruned = _beta_rows(part, True)
        if 1 not in pruned.index or not (pruned.index > 1).any():
            continue
        base = pruned.loc[1]
        less = [
            b
            for b, row in pruned[pruned.index > 1].iterrows()
            if beyond_seed_spread(
                base["pruning_loss_mean"], base["pruning_loss_std"], row["pruning_loss_mean"], row["pruning_loss_std"]
            )
        ]
        observed.append(
            f"{dataset}: accuracy points lost to pruning "
            + ", ".join(
                f"beta={b:g} {r['pruning_loss_mean']:.2f} ± {_std(r['pruning_loss_std']):.2f}"
                for b, r in pruned.iterrows()
            )
            + f" (less than beta=1 beyond seed spread: {', '.join(f'{b:g}' for b in less) or 'none'})"
        )
        results.append(bool(less))
    return Claim(
        "000-C4",
        "Disentanglement (beta > 1) lets pruning discard information more easily: pruning costs less accuracy than at"
        " beta = 1.",
        "the accuracy points pruning costs (unpruned - pruned test accuracy, paired by seed) of some beta > 1 are"
        f" below beta = 1's {SPREAD_TEST}, on some dataset",
        "; ".join(observed) or "beta = 1 and a beta > 1 are not both configured",
        any(results) if results else None,
    )


def largest_beta_collapses(t1: pd.DataFrame, collapse_dataset: str = "cifar10") -> Claim:
    observed, holds = [], None
    for dataset, part in t1.groupby("dataset", sort=False):
        unpruned = _beta_rows(part, False)
        if unpruned.empty:
            continue
        top = unpruned.index.max()
        row = unpruned.loc[top]
        observed.append(
            f"{dataset}: beta={top:g} {row['accuracy_mean']:.2f}%,"
            f" {int(row['chance_level_runs'])}/{int(row['n_seeds'])} seeds at chance"
        )
        if dataset == collapse_dataset:
            holds = bool(row["chance_level_runs"] > 0)
    return Claim(
        "000-C5",
        "At beta = 10 on CIFAR-10 the posterior collapses (chance accuracy, 10%).",
        f"some seed of the largest beta on {collapse_dataset} within 5 points of chance (not tested without"
        f" {collapse_dataset})",
        "; ".join(observed) or "no Beta-VAE-Classif",
        holds,
    )


def head_removal_keeps_accuracy(t1: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for dataset, part in t1.groupby("dataset", sort=False):
        unpruned = _beta_rows(part, False)
        if unpruned.empty:
            continue
        change = unpruned["accuracy_mean"] - unpruned["with_head_accuracy_mean"]
        observed.append(
            f"{dataset}: "
            + ", ".join(
                f"beta={b:g} {unpruned.loc[b, 'with_head_accuracy_mean']:.2f}% ->"
                f" {unpruned.loc[b, 'accuracy_mean']:.2f}%"
                for b in change.index
            )
        )
        holds &= bool((change >= -HEAD_REMOVAL_TOLERANCE).all())
    return Claim(
        "000-C8",
        "(Protocol) The epochs after the reconstruction head is removed keep the classifier's accuracy "
        "(Table I's Beta-VAE-Classif accuracies are those of a working classifier).",
        f"mean test accuracy after head removal at most {HEAD_REMOVAL_TOLERANCE:g} points below that with the head,"
        " every beta and dataset",
        "; ".join(observed) or "no Beta-VAE-Classif",
        holds if observed else None,
    )


def _spearman(x, y) -> float:
    if len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan
    return float(spearmanr(x, y).statistic)


NO_FACTORS = "no dataset with ground-truth factors (dSprites) is configured"


def mig_increases_with_beta(mig: pd.DataFrame | None) -> Claim:
    document = "(Follow-up hypothesis) A larger beta gives a more disentangled latent (higher MIG on dSprites)."
    test = (
        "Spearman(beta, MIG after the first phase, with the decoder and beta * KL) over all runs on datasets with"
        f" factors >= {RANK_CORRELATION:g}"
    )
    if mig is None or mig.empty:
        return Claim("000-C6", document, test, NO_FACTORS, None)
    rho = _spearman(mig["beta"], mig["mig_with_head"])
    means = mig.groupby("beta")["mig_with_head"].mean()
    return Claim(
        "000-C6",
        document,
        test,
        "MIG after the first phase per beta: "
        + ", ".join(f"{b:g}: {m:.3f}" for b, m in means.items())
        + f"; Spearman {rho:.2f}",
        None if math.isnan(rho) else rho >= RANK_CORRELATION,
    )


def mig_prunes_better(mig: pd.DataFrame | None) -> Claim:
    document = "(Follow-up hypothesis) A more disentangled latent (higher MIG) prunes better (higher pruned accuracy)."
    test = (
        "Spearman(MIG of the model pruning starts from (after head removal), pruned test accuracy) over all runs on"
        f" datasets with factors >= {RANK_CORRELATION:g} (not tested when every pruned classifier is at chance)"
    )
    if mig is None or mig.empty:
        return Claim("000-C7", document, test, NO_FACTORS, None)
    rho = _spearman(mig["mig_headless"], mig["pruned_test_accuracy"])
    at_chance = sum(collapsed(a, SHAPE_CLASSES) for a in mig["pruned_test_accuracy"])
    untestable = math.isnan(rho) or at_chance == len(mig)
    return Claim(
        "000-C7",
        document,
        test,
        f"Spearman {rho:.2f} over {len(mig)} runs; MIG after head removal"
        f" {mig['mig_headless'].min():.3f}..{mig['mig_headless'].max():.3f}; pruned accuracy"
        f" {100 * mig['pruned_test_accuracy'].min():.2f}..{100 * mig['pruned_test_accuracy'].max():.2f}%,"
        f" {at_chance}/{len(mig)} runs at chance",
        None if untestable else rho >= RANK_CORRELATION,
    )


def follow_up_is_informative(mig: pd.DataFrame | None) -> Claim:
    """000-C9: the dSprites numbers say something: a working shape classifier and a latent whose MIG the training
    raised."""
    document = (
        "(Protocol) The follow-up measures something: the shape classifier works and training disentangles the latent "
        "beyond what an untrained encoder's random features give."
    )
    test = (
        f"every run's test accuracy after head removal at least {100 * INFORMATIVE_ACCURACY_MARGIN:g} points above"
        " chance, and for every beta the mean MIG after the first phase above the untrained encoder's by at least"
        f" {INFORMATIVE_MIG_MARGIN:g} and {SPREAD_TEST}"
    )
    if mig is None or mig.empty:
        return Claim("000-C9", document, test, NO_FACTORS, None)
    observed, holds = [], True
    for dataset, part in mig.groupby("dataset", sort=False):
        low = part["headless_test_accuracy"].min()
        working = bool(low >= 1 / SHAPE_CLASSES + INFORMATIVE_ACCURACY_MARGIN)
        stats = part.groupby("beta").agg(
            trained=("mig_with_head", "mean"),
            trained_std=("mig_with_head", "std"),
            untrained=("mig_untrained", "mean"),
            untrained_std=("mig_untrained", "std"),
        )
        raised = [
            bool(
                r.trained - r.untrained >= INFORMATIVE_MIG_MARGIN
                and beyond_seed_spread(r.trained, r.trained_std, r.untrained, r.untrained_std)
            )
            for r in stats.itertuples()
        ]
        observed.append(
            f"{dataset}: lowest shape accuracy after head removal {100 * low:.2f}% (chance {100 / SHAPE_CLASSES:.2f}%);"
            " MIG after the first phase vs untrained encoder "
            + ", ".join(
                f"beta={b:g} {r.trained:.3f} ± {_std(r.trained_std):.3f} vs {r.untrained:.3f} ±"
                f" {_std(r.untrained_std):.3f}"
                for b, r in stats.iterrows()
            )
        )
        holds &= working and all(raised)
    return Claim("000-C9", document, test, "; ".join(observed), holds)


def all_claims(t1: pd.DataFrame, mig: pd.DataFrame | None) -> list[Claim]:
    """Every 000 claim; `mig` (000-B1) is None without a dataset with ground-truth factors. A claim decided on a
    table with a failed run is not tested: C1-C5 and C8 on 000-T1, C6, C7 and C9 on 000-B1."""
    on_t1 = failures_of(t1)
    on_mig = [] if mig is None else failures_of(mig)
    t1, mig = finished_rows(t1), finished_rows(mig)
    return [
        untested_if_failed(cnn_beats_vae(t1), on_t1),
        untested_if_failed(same_compression_ratio(t1), on_t1),
        untested_if_failed(beta_prunes_better(t1), on_t1),
        untested_if_failed(beta_loses_less(t1), on_t1),
        untested_if_failed(largest_beta_collapses(t1), on_t1),
        untested_if_failed(mig_increases_with_beta(mig), on_mig),
        untested_if_failed(mig_prunes_better(mig), on_mig),
        untested_if_failed(head_removal_keeps_accuracy(t1), on_t1),
        untested_if_failed(follow_up_is_informative(mig), on_mig),
    ]
