"""003 part 1 tables: every training-time run (achieved sparsity, accuracy, measured training time) and 003-B1."""

from __future__ import annotations

import json

import pandas as pd

from prunebench.tables import failure_reasons, mean_std

# The State of Sparsity techniques, each the variant of the same name in the config (prune.variants).
TECHNIQUES = ("magnitude", "variational_dropout", "l0", "random", "extended_magnitude")
NAMES = {
    "dense": "dense",
    "magnitude": "magnitude pruning",
    "variational_dropout": "variational dropout",
    "l0": "L0 regularization",
    "random": "random pruning",
    "extended_magnitude": "extended magnitude pruning",
}


def _read_json(path) -> dict:
    with open(path) as f:
        return json.load(f)


def collect_runs(runs: list[dict], evaluations: list[str], trainings: list[str], timings: list[str]) -> pd.DataFrame:
    """One row per (model, technique, sweep point, seed): achieved sparsity, accuracy (%), training time, and why the
    run failed (blank when it did not)."""
    rows = []
    for run, evaluation, training, timing in zip(runs, evaluations, trainings, timings, strict=True):
        record = _read_json(evaluation)
        metrics = record["metrics"]
        time = pd.read_csv(timing).iloc[0]
        rows.append(
            {
                "model": run["model"],
                "technique": run["variant"],
                "target": float(run["target"]),
                "seed": run["seed"],
                "failed": record.get("failed", ""),
                "achieved_sparsity": _read_json(training)["metrics"]["achieved_sparsity"],
                "test_accuracy": 100 * metrics["test"]["accuracy"],
                "val_accuracy": 100 * metrics["val"]["accuracy"],
                "steps": int(time["steps"]),
                "seconds": float(time["seconds"]),
                "ms_per_step": 1000 * float(time["seconds_per_step"]),
            }
        )
    return pd.DataFrame(rows)


def collect_dense(runs: list[dict], metrics: list[str]) -> pd.DataFrame:
    """One row per (model, seed): the dense reference's test accuracy (%)."""
    return pd.DataFrame(
        [
            {
                "model": run["model"],
                "seed": run["seed"],
                "test_accuracy": 100 * _read_json(path)["metrics"]["test"]["accuracy"],
            }
            for run, path in zip(runs, metrics, strict=True)
        ]
    )


def cost_table(runs: pd.DataFrame, dense: pd.DataFrame) -> pd.DataFrame:
    """003-B1: per model, technique and sweep point, the achieved sparsity and test accuracy (mean and std over seeds)
    next to the measured training time: seconds, ms per optimizer step, and the time per step relative to magnitude
    pruning on the same model (all its sweep points together); `failed`: why runs of a row failed."""
    keys = ["model", "technique", "target"]
    table = mean_std(runs, keys, ["achieved_sparsity", "test_accuracy"])
    table["failed"] = failure_reasons(runs, keys).to_numpy()
    time = (
        runs.groupby(["model", "technique", "target"], sort=False)[["steps", "seconds", "ms_per_step"]]
        .mean()
        .reset_index()
    )
    table = table.merge(time, on=["model", "technique", "target"])
    magnitude = runs[runs["technique"] == "magnitude"].groupby("model")["ms_per_step"].mean()
    table["time_per_step_vs_magnitude"] = table["ms_per_step"] / table["model"].map(magnitude)
    reference = mean_std(
        dense.assign(technique="dense", target=0.0, achieved_sparsity=0.0),
        ["model", "technique", "target"],
        ["achieved_sparsity", "test_accuracy"],
    )
    table = pd.concat([reference, table], ignore_index=True)
    table["steps"] = table["steps"].astype("Int64")
    table["technique"] = pd.Categorical(table["technique"], ["dense", *TECHNIQUES])
    return table.sort_values(["model", "technique", "target"]).astype({"technique": str}).reset_index(drop=True)
