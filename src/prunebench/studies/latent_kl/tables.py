"""001 tables: the per-epoch divergences and PD averaged over seeds (001-B2) and their rank correlation (001-B1)."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import kendalltau, spearmanr

from prunebench.tables import mean_std

DIVERGENCES = {"ap2": "AP2", "ap3_gaussian": "AP3 Gaussian (AR(1) cov.)", "ap3_student_t": "AP3 Student-T"}
SPLITS = ("test", "train")
CELL = ["dataset", "model", "sparsity", "epoch"]


def collect_runs(runs: list[dict], paths: list[str]) -> pd.DataFrame:
    """The per-run divergence tables of a study, with dataset and model columns."""
    frames = [pd.read_csv(path).assign(dataset=run["dataset"], model=run["model"]) for run, path in zip(runs, paths, strict=True)]
    frame = pd.concat(frames, ignore_index=True)
    return frame[["dataset", "model", *[c for c in frame.columns if c not in ("dataset", "model")]]]


def summary_table(frame: pd.DataFrame) -> pd.DataFrame:
    """001-B2: mean and std over seeds of every divergence, PD and accuracy per (dataset, model, method, sparsity, epoch).
    ap3_student_t_se_mean is the mean Monte-Carlo standard error of the per-seed values."""
    columns = [*DIVERGENCES, "ap3_student_t_se", "pd_test", "pd_train", "test_accuracy", "train_accuracy"]
    table = mean_std(frame, ["dataset", "model", "variant", "sparsity", "epoch"], columns)
    return table.drop(columns=["ap3_student_t_se_std"])


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


def model_init(model_cfg: dict) -> str:
    weights = model_cfg.get("weights")
    return "from scratch" if weights is None else f"ImageNet weights ({weights})"


def rank_correlation_table(summary: pd.DataFrame, models: dict[str, dict]) -> pd.DataFrame:
    """001-B1: Spearman and Kendall rank correlation between each divergence and PD over every (method, sparsity,
    epoch) of the seed means, per dataset, model and split, with the method-pair concordance."""
    rows = []
    for (dataset, model), part in summary.groupby(["dataset", "model"], sort=False):
        for split, (divergence, label) in itertools.product(SPLITS, DIVERGENCES.items()):
            x, y = part[f"{divergence}_mean"], part[f"pd_{split}_mean"]
            rho, tau = spearmanr(x, y), kendalltau(x, y)
            rows.append(
                {
                    "dataset": dataset, "model": model, "init": model_init(models[model]), "split": split, "divergence": label,
                    "points": len(part), "spearman": rho.statistic, "spearman_p": rho.pvalue,
                    "kendall": tau.statistic, "kendall_p": tau.pvalue,
                    "method_pair_concordance": pair_concordance(part, divergence, split),
                }
            )
    return pd.DataFrame(rows)
