"""001 tables: the per-epoch divergences and PD averaged over seeds (001-B2) and their rank correlation (001-B1)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import torch
from scipy.stats import kendalltau, rankdata, spearmanr

from prunebench.determinism import Stream, generator
from prunebench.studies.latent_kl.divergences import SPLITS
from prunebench.tables import blank_if_finished, failure_reasons, mean_std

DIVERGENCES = {
    "ap2": "AP2",
    "ap2_grouped": "AP2 of grouped means",
    "ap3_gaussian": "AP3 Gaussian (AR(1) cov.)",
    "ap3_student_t": "AP3 Student-T",
}
CELL = ["dataset", "model", "sparsity", "epoch"]
CHAIN = ["variant", "sparsity"]  # one fine-tuning trajectory: its epochs are not independent points
PERMUTATIONS = 10_000  # random chain permutations per test; all of them when there are no more


def collect_runs(runs: list[dict], paths: list[str]) -> pd.DataFrame:
    """The per-run divergence tables of a study, with dataset and model columns (`failed`: "" where a run finished)."""
    frames = [
        pd.read_csv(path).assign(dataset=run["dataset"], model=run["model"])
        for run, path in zip(runs, paths, strict=True)
    ]
    frame = pd.concat(frames, ignore_index=True)
    frame["failed"] = blank_if_finished(frame["failed"])
    return frame[["dataset", "model", *[c for c in frame.columns if c not in ("dataset", "model")]]]


def summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """001-B2: mean and std over seeds of every divergence, PD and accuracy per (dataset, model, method, sparsity,
    epoch),
    with the image counts PD is measured on. ap3_student_t_se_mean is the mean Monte-Carlo standard error of the
    per-seed values. `failed`: why runs of the row failed (its values are then missing)."""
    columns = [*DIVERGENCES, "ap3_student_t_se", "pd_test", "pd_train", "test_accuracy", "train_accuracy"]
    keys = ["dataset", "model", *[f"{split}_images" for split in SPLITS], "variant", "sparsity", "epoch"]
    table = mean_std(frame, keys, columns).drop(columns=["ap3_student_t_se_std"])
    table["failed"] = failure_reasons(frame, keys).to_numpy()
    return table


def pair_concordance(summary: pd.DataFrame, divergence: str, split: str) -> float:
    """Fraction of method pairs, within each (sparsity, epoch), ordered the same way by the divergence and by PD
    (Lemma 2: the method with the smaller divergence has the smaller PD); a PD tie counts one half."""
    scores = []
    for _, cell in summary.groupby(CELL, sort=False):
        x, y = cell[f"{divergence}_mean"].to_numpy(), cell[f"pd_{split}_mean"].to_numpy()
        for i, j in itertools.combinations(range(len(cell)), 2):
            dy = y[i] - y[j]
            scores.append(0.5 if dy == 0 else float(np.sign(x[i] - x[j]) == np.sign(dy)))
    return float(np.mean(scores)) if scores else float("nan")


def chain_permutations(chains: int, count: int = PERMUTATIONS) -> tuple[np.ndarray, bool]:
    """(permutations of range(chains), one per row; exact): all chains! of them when there are at most `count`,
    else `count` random ones from the Monte-Carlo stream "chain_permutation" (fixed: the tables aggregate seeds)."""
    if math.factorial(chains) <= count:
        return np.array(list(itertools.permutations(range(chains)))).reshape(-1, chains), True
    random = torch.rand(count, chains, generator=generator(0, Stream.MONTE_CARLO, "chain_permutation"))
    return random.argsort(1).numpy(), False


def chain_permutation_test(x: np.ndarray, y: np.ndarray, count: int = PERMUTATIONS) -> dict:
    """Pooled Spearman rank correlation of x and y, arrays of chains x epochs (a row: one (method, sparsity) along
    fine-tuning), and its one-sided p-value under permutations of whole chains.

    The epochs of one chain are autocorrelated, so the pooled points are not independent and the usual Spearman
    p-value is far too small. The null hypothesis here: which chain's x trajectory goes with which chain's y
    trajectory does not matter. The test statistic is recomputed with chain i's x paired with chain pi(i)'s y for
    each permutation pi (the identity included); p = #{rho_pi >= rho} / chains! when every permutation is tried,
    else (1 + #{rho_pi >= rho}) / (1 + count) over `count` random ones. Also the Spearman across chains at each
    epoch (independent points), its smallest and largest value."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 2:
        raise ValueError(f"x and y must be chains x epochs arrays of one shape, got {x.shape} and {y.shape}")
    per_epoch = np.array([spearmanr(x[:, e], y[:, e]).statistic for e in range(x.shape[1])])
    out = {"epoch_spearman_min": float(per_epoch.min()), "epoch_spearman_max": float(per_epoch.max())}
    rx, ry = (rankdata(v, method="average").reshape(v.shape) for v in (x, y))
    if rx.std() == 0 or ry.std() == 0:  # a constant: no correlation to test
        return {"spearman": float("nan"), "chain_permutation_p": float("nan"), "permutations": 0, **out}
    rx, ry = ((r - r.mean()) / r.std() for r in (rx, ry))  # Spearman = mean product of standardized ranks
    permutations, exact = chain_permutations(len(x), count)
    null = (rx[permutations] * ry).mean(axis=(1, 2))
    observed = float((rx * ry).mean())
    hits = int((null >= observed - 1e-12).sum())
    p = hits / len(permutations) if exact else (1 + hits) / (1 + len(permutations))
    return {"spearman": observed, "chain_permutation_p": p, "permutations": len(permutations), **out}


def chain_grid(part: pd.DataFrame, column: str) -> np.ndarray:
    """A column of one (dataset, model) of 001-B2 as a chains x epochs array (rows: (method, sparsity))."""
    grid = part.set_index([*CHAIN, "epoch"])[column].unstack("epoch")
    if grid.isna().to_numpy().any():
        raise ValueError(f"{column}: every (method, sparsity) chain needs a value at every epoch")
    return grid.to_numpy()


def model_init(model_cfg: dict) -> str:
    weights = model_cfg.get("weights")
    return "from scratch" if weights is None else f"ImageNet weights ({weights})"


RANK_STATISTICS = (
    "spearman",
    "chain_permutation_p",
    "permutations",
    "epoch_spearman_min",
    "epoch_spearman_max",
    "kendall",
    "method_pair_concordance",
    "spearman_with_ap2_grouped",
)


def rank_correlation_table(summary: pd.DataFrame, runs: pd.DataFrame, models: dict[str, dict]) -> pd.DataFrame:
    """001-B1, per dataset, model, split and divergence: the Spearman rank correlation of the divergence with PD over
    every (method, sparsity, epoch) of the seed means, its chain-permutation p-value and per-epoch range
    (`chain_permutation_test`), Kendall's tau, the method-pair concordance, the images PD is measured on, and the
    Spearman of the divergence with the grouped squared distance over the per-seed values of `runs`. `failed`: why
    runs of the (dataset, model) failed; its statistics are then missing (a correlation over the chains that survived
    would be another experiment's)."""
    rows, reasons = [], failure_reasons(summary, ["dataset", "model"])
    for (dataset, model), part in summary.groupby(["dataset", "model"], sort=False):
        run = runs[(runs["dataset"] == dataset) & (runs["model"] == model)]
        failed = reasons[(dataset, model)]
        for split, (divergence, label) in itertools.product(SPLITS, DIVERGENCES.items()):
            images = part[f"{split}_images"].unique()
            if len(images) != 1:
                raise ValueError(
                    f"{dataset}/{model}: PD on the {split} set measured on differing image counts {images}"
                )
            row = {
                "dataset": dataset,
                "model": model,
                "init": model_init(models[model]),
                "split": split,
                "images": int(images[0]),
                "divergence": label,
                "points": len(part),
                "chains": len(part[CHAIN].drop_duplicates()),
            }
            if failed:
                rows.append({**row, **dict.fromkeys(RANK_STATISTICS, math.nan), "failed": failed})
                continue
            x, y = chain_grid(part, f"{divergence}_mean"), chain_grid(part, f"pd_{split}_mean")
            rows.append(
                {
                    **row,
                    **chain_permutation_test(x, y),
                    "kendall": kendalltau(x.ravel(), y.ravel()).statistic,
                    "method_pair_concordance": pair_concordance(part, divergence, split),
                    "spearman_with_ap2_grouped": spearmanr(run[divergence], run["ap2_grouped"]).statistic,
                    "failed": "",
                }
            )
    return pd.DataFrame(rows)
