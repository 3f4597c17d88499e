"""003 part 2 tables: the lottery-ticket runs (003-F2) and the retrained masks of part 1's magnitude runs (003-F6)."""
from __future__ import annotations

import json

import pandas as pd

from prunebench.tables import mean_std

# 003-F6's arms (prunebench.pruning.iterative.ARMS) by the names the document uses, and part 1's magnitude pruning.
F6_NAMES = {
    "magnitude": "magnitude pruning",
    "rewind": "lottery ticket",
    "reinit": "scratch-E",
    "scratch_b": "scratch-B",
    "random_masks": "random masks (ticket init)",
}
F2_NAMES = {"rewind": "winning ticket", "reinit": "random re-init"}


def _metrics(path) -> dict:
    with open(path) as f:
        return json.load(f)["metrics"]


def _row(run: dict, metrics: dict, arm: str) -> dict:
    return {
        "lr": float(run["lr"]),
        "seed": run["seed"],
        "schedule": run["schedule"],
        "level": run["level"],
        "arm": arm,
        "sparsity": metrics.get("sparsity", 0.0),
        "test_accuracy": 100 * metrics["test"]["accuracy"],
        "val_accuracy": 100 * metrics["val"]["accuracy"],
    }


def collect_tickets(runs: list[dict], levels: list[str], controls: list[str], dense_runs: list[dict], dense: list[str]) -> pd.DataFrame:
    """One row per (learning rate, seed, schedule, level, arm): the winning ticket (`rewind`) and its random re-init;
    one-shot level 1 is iterative level 1 (listed under both); the dense runs as schedule `dense`, level 0."""
    rows = [_row(run, _metrics(path), "dense") for run, path in zip(dense_runs, dense, strict=True)]
    for run, level, control in zip(runs, levels, controls, strict=True):
        rows += [_row(run, _metrics(level), "rewind"), _row(run, _metrics(control), "reinit")]
    frame = pd.DataFrame(rows)
    shared = frame[(frame["schedule"] == "iterative") & (frame["level"] == 1)].assign(schedule="oneshot")
    frame = pd.concat([frame, shared], ignore_index=True)
    return frame.sort_values(["lr", "schedule", "level", "arm", "seed"]).reset_index(drop=True)


def tickets_table(tickets: pd.DataFrame) -> pd.DataFrame:
    """003-F2's numbers: per learning rate, schedule, level and arm, the fraction of weights remaining and the test
    accuracy (mean and std over seeds)."""
    table = mean_std(tickets.assign(remaining=1 - tickets["sparsity"]), ["lr", "schedule", "level", "arm"], ["remaining", "test_accuracy"])
    table["arm"] = table["arm"].map({**F2_NAMES, "dense": "dense"})
    return table


def collect_scratch(part1_runs: pd.DataFrame, model: str, variant: str, retrained: list[dict], paths: list[str]) -> pd.DataFrame:
    """One row per (arm, target sparsity, seed): part 1's `variant` runs of `model` (arm `magnitude`) and the
    retrainings of their masks."""
    ours = part1_runs[(part1_runs["model"] == model) & (part1_runs["technique"] == variant)]
    rows = [
        {"arm": "magnitude", "target": r.target, "seed": r.seed, "sparsity": r.achieved_sparsity, "test_accuracy": r.test_accuracy, "epochs": None}
        for r in ours.itertuples()
    ]
    for run, path in zip(retrained, paths, strict=True):
        m = _metrics(path)
        rows.append(
            {"arm": run["arm"], "target": float(run["sparsity"]), "seed": run["seed"], "sparsity": m["sparsity"], "test_accuracy": 100 * m["test"]["accuracy"], "epochs": m["epochs"]}
        )
    return pd.DataFrame(rows).astype({"epochs": "Float64"})


def scratch_table(scratch: pd.DataFrame) -> pd.DataFrame:
    """003-F6's numbers: per arm and target sparsity, the sparsity, test accuracy (mean and std over seeds) and the
    epochs trained (Scratch-B: scaled by the FLOPs ratio)."""
    table = mean_std(scratch, ["arm", "target"], ["sparsity", "test_accuracy"])
    epochs = scratch.groupby(["arm", "target"], sort=False)["epochs"].mean().reset_index()
    table = table.merge(epochs, on=["arm", "target"])
    table["arm"] = pd.Categorical(table["arm"], list(F6_NAMES))
    table = table.sort_values(["target", "arm"]).reset_index(drop=True)
    table["arm"] = table["arm"].map(F6_NAMES).astype(str)
    return table
