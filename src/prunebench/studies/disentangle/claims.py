"""000 claims: the document's qualitative findings and its follow-up's hypotheses, decided on the tables."""
from __future__ import annotations

import math

import pandas as pd
from scipy.stats import spearmanr

from prunebench.claims import Claim
from prunebench.data.dsprites import SHAPES
from prunebench.studies.disentangle.protocol import collapsed

RATIO_SPREAD = 0.05  # pruned/unpruned size ratios within 0.05 of each other count as "the same"
RANK_CORRELATION = 0.5  # Spearman rho at least this counts as "increases with"
HEAD_REMOVAL_TOLERANCE = 1.0  # accuracy points the phase after head removal may lose and still "keep" accuracy


def _std(value) -> float:
    return 0.0 if pd.isna(value) else float(value)


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
            observed.append(f"{dataset}{' pruned' if pruned else ''}: CNN {cnn.iloc[0]:.2f}% vs best Beta-VAE (beta={best['beta']:g}) {best['accuracy_mean']:.2f}%")
            holds &= bool(cnn.iloc[0] > best["accuracy_mean"])
    return Claim(
        "000-C1", "The CNN-Classif baseline outperforms every Beta-VAE-Classif model, with and without pruning.",
        "mean test accuracy of CNN-Classif above that of every beta, unpruned and pruned, on every dataset",
        "; ".join(observed) or "no CNN-Classif / Beta-VAE-Classif pair", holds if observed else None,
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
        "000-C2", "The compression ratio of pruned to unpruned model is essentially the same among all models.",
        f"pruned/unpruned mean gzip size ratios of all models within {RATIO_SPREAD:g} of each other, per dataset",
        "; ".join(observed), holds,
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
            b for b, row in pruned[pruned.index > 1].iterrows()
            if row["accuracy_mean"] - base["accuracy_mean"] > max(_std(row["accuracy_std"]), _std(base["accuracy_std"]))
        ]
        observed.append(
            f"{dataset}: pruned beta=1 {base['accuracy_mean']:.2f}%; "
            + ", ".join(f"beta={b:g} {r['accuracy_mean']:.2f}%" for b, r in pruned[pruned.index > 1].iterrows())
            + f" (beyond seed spread: {', '.join(f'{b:g}' for b in better) or 'none'})"
        )
        results.append(bool(better))
    return Claim(
        "000-C3", "For some beta > 1 the pruned Beta-VAE-Classif is more accurate than for beta = 1 (the preliminary hint).",
        "some beta > 1 has a pruned mean accuracy above beta = 1's by more than the larger of their seed stds",
        "; ".join(observed) or "beta = 1 and a beta > 1 are not both configured", any(results) if results else None,
    )


def beta_loses_less(t1: pd.DataFrame) -> Claim:
    observed, results = [], []
    for dataset, part in t1.groupby("dataset", sort=False):
        drop = _beta_rows(part, False)["accuracy_mean"] - _beta_rows(part, True)["accuracy_mean"]
        if 1 not in drop.index or not (drop.index > 1).any():
            continue
        observed.append(f"{dataset}: accuracy lost to pruning " + ", ".join(f"beta={b:g} {d:.2f}" for b, d in drop.items()) + " points")
        results.append(bool((drop[drop.index > 1] < drop.loc[1]).any()))
    return Claim(
        "000-C4", "Disentanglement (beta > 1) lets pruning discard information more easily: pruning costs less accuracy than at beta = 1.",
        "the unpruned - pruned mean accuracy of some beta > 1 is below that of beta = 1",
        "; ".join(observed) or "beta = 1 and a beta > 1 are not both configured", any(results) if results else None,
    )


def largest_beta_collapses(t1: pd.DataFrame, collapse_dataset: str = "cifar10") -> Claim:
    observed, holds = [], None
    for dataset, part in t1.groupby("dataset", sort=False):
        unpruned = _beta_rows(part, False)
        if unpruned.empty:
            continue
        top = unpruned.index.max()
        row = unpruned.loc[top]
        observed.append(f"{dataset}: beta={top:g} {row['accuracy_mean']:.2f}%, {int(row['chance_level_runs'])}/{int(row['n_seeds'])} seeds at chance")
        if dataset == collapse_dataset:
            holds = bool(row["chance_level_runs"] > 0)
    return Claim(
        "000-C5", "At beta = 10 on CIFAR-10 the posterior collapses (chance accuracy, 10%).",
        f"some seed of the largest beta on {collapse_dataset} within 5 points of chance (not tested without {collapse_dataset})",
        "; ".join(observed) or "no Beta-VAE-Classif", holds,
    )


def head_removal_keeps_accuracy(t1: pd.DataFrame) -> Claim:
    observed, holds = [], True
    for dataset, part in t1.groupby("dataset", sort=False):
        unpruned = _beta_rows(part, False)
        if unpruned.empty:
            continue
        change = unpruned["accuracy_mean"] - unpruned["with_head_accuracy_mean"]
        observed.append(
            f"{dataset}: " + ", ".join(f"beta={b:g} {unpruned.loc[b, 'with_head_accuracy_mean']:.2f}% -> {unpruned.loc[b, 'accuracy_mean']:.2f}%" for b in change.index)
        )
        holds &= bool((change >= -HEAD_REMOVAL_TOLERANCE).all())
    return Claim(
        "000-C8", "(Protocol) The epochs after the reconstruction head is removed keep the classifier's accuracy "
        "(Table I's Beta-VAE-Classif accuracies are those of a working classifier).",
        f"mean test accuracy after head removal at most {HEAD_REMOVAL_TOLERANCE:g} points below that with the head, every beta and dataset",
        "; ".join(observed) or "no Beta-VAE-Classif", holds if observed else None,
    )


def _spearman(x, y) -> float:
    if len(set(x)) < 2 or len(set(y)) < 2:
        return math.nan
    return float(spearmanr(x, y).statistic)


def mig_increases_with_beta(mig: pd.DataFrame) -> Claim:
    rho = _spearman(mig["beta"], mig["unpruned_mig"])
    means = mig.groupby("beta")["unpruned_mig"].mean()
    return Claim(
        "000-C6", "(Follow-up hypothesis) A larger beta gives a more disentangled latent (higher MIG on dSprites).",
        f"Spearman(beta, MIG) over all dSprites runs >= {RANK_CORRELATION:g}",
        "MIG per beta: " + ", ".join(f"{b:g}: {m:.3f}" for b, m in means.items()) + f"; Spearman {rho:.2f}",
        None if math.isnan(rho) else rho >= RANK_CORRELATION,
    )


def mig_prunes_better(mig: pd.DataFrame) -> Claim:
    rho = _spearman(mig["unpruned_mig"], mig["pruned_test_accuracy"])
    at_chance = sum(collapsed(a, len(SHAPES)) for a in mig["pruned_test_accuracy"])
    untestable = math.isnan(rho) or at_chance == len(mig)
    return Claim(
        "000-C7", "(Follow-up hypothesis) A more disentangled latent (higher MIG) prunes better (higher pruned accuracy).",
        f"Spearman(MIG, pruned test accuracy) over all dSprites runs >= {RANK_CORRELATION:g} (not tested when every pruned "
        "shape classifier is at chance)",
        f"Spearman {rho:.2f} over {len(mig)} runs; pruned accuracy {100 * mig['pruned_test_accuracy'].min():.2f}..{100 * mig['pruned_test_accuracy'].max():.2f}%, "
        f"{at_chance}/{len(mig)} runs at chance",
        None if untestable else rho >= RANK_CORRELATION,
    )


def all_claims(t1: pd.DataFrame, mig: pd.DataFrame) -> list[Claim]:
    return [
        cnn_beats_vae(t1), same_compression_ratio(t1), beta_prunes_better(t1), beta_loses_less(t1),
        largest_beta_collapses(t1), mig_increases_with_beta(mig), mig_prunes_better(mig), head_removal_keeps_accuracy(t1),
    ]
