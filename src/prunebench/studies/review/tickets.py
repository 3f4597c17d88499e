"""003 part 2 tables: the lottery-ticket runs (003-F2) and the retrained masks of part 1's magnitude runs (003-F6)."""

from __future__ import annotations

import json

import pandas as pd

from prunebench.tables import blank_if_finished, failure_reasons, mean_std

# 003-F6's arms (prunebench.pruning.iterative.ARMS) by the names the document uses, and part 1's magnitude pruning.
F6_NAMES = {
    "magnitude": "magnitude pruning",
    "rewind": "lottery ticket",
    "reinit": "scratch-E",
    "scratch_b": "scratch-B",
    "random_masks": "random masks (ticket init)",
}
F2_NAMES = {"rewind": "winning ticket", "reinit": "random re-init"}


def ticket_model(tickets: dict) -> dict:
    """`tickets.model` without its null arguments: null drops an argument config.yaml's model sets (--configfile
    merges mappings), as configs/paper.yaml's VGG-16 drops the default small net's channels and hidden width."""
    return {key: value for key, value in tickets["model"].items() if value is not None}


def _record(path) -> dict:
    with open(path) as f:
        return json.load(f)


def _row(run: dict, record: dict, arm: str) -> dict:
    metrics = record["metrics"]
    return {
        "lr": float(run["lr"]),
        "seed": run["seed"],
        "schedule": run["schedule"],
        "level": run["level"],
        "arm": arm,
        "sparsity": metrics.get("sparsity", 0.0),
        "test_accuracy": 100 * metrics["test"]["accuracy"],
        "val_accuracy": 100 * metrics["val"]["accuracy"],
        "failed": record.get("failed", ""),
    }


def collect_tickets(
    runs: list[dict], levels: list[str], controls: list[str], dense_runs: list[dict], dense: list[str]
) -> pd.DataFrame:
    """One row per (learning rate, seed, schedule, level, arm): the winning ticket (`rewind`) and its random re-init;
    one-shot level 1 is iterative level 1 (listed under both); the dense runs as schedule `dense`, level 0. `failed`:
    why the run (or a training it starts from) failed, "" when none did."""
    rows = [_row(run, _record(path), "dense") for run, path in zip(dense_runs, dense, strict=True)]
    for run, level, control in zip(runs, levels, controls, strict=True):
        rows += [_row(run, _record(level), "rewind"), _row(run, _record(control), "reinit")]
    frame = pd.DataFrame(rows)
    shared = frame[(frame["schedule"] == "iterative") & (frame["level"] == 1)].assign(schedule="oneshot")
    frame = pd.concat([frame, shared], ignore_index=True)
    return frame.sort_values(["lr", "schedule", "level", "arm", "seed"]).reset_index(drop=True)


def tickets_table(tickets: pd.DataFrame) -> pd.DataFrame:
    """003-F2's numbers: per learning rate, schedule, level and arm, the fraction of weights remaining and the test
    accuracy (mean and std over seeds; missing where a run failed); `failed`: why runs of the row failed."""
    keys = ["lr", "schedule", "level", "arm"]
    table = mean_std(tickets.assign(remaining=1 - tickets["sparsity"]), keys, ["remaining", "test_accuracy"])
    table["failed"] = failure_reasons(tickets, keys).to_numpy()
    table["arm"] = table["arm"].map({**F2_NAMES, "dense": "dense"})
    return table


def collect_scratch(
    part1_runs: pd.DataFrame, model: str, variant: str, retrained: list[dict], paths: list[str]
) -> pd.DataFrame:
    """One row per (arm, target sparsity, seed): part 1's `variant` runs of `model` (arm `magnitude`) and the
    retrainings of their masks; `failed`: why the run (or the one its masks come from) failed, "" when none did."""
    ours = part1_runs[(part1_runs["model"] == model) & (part1_runs["technique"] == variant)]
    ours = ours.assign(failed=blank_if_finished(ours["failed"]))
    rows = [
        {
            "arm": "magnitude",
            "target": r.target,
            "seed": r.seed,
            "sparsity": r.achieved_sparsity,
            "test_accuracy": r.test_accuracy,
            "epochs": None,
            "failed": r.failed,
        }
        for r in ours.itertuples()
    ]
    for run, path in zip(retrained, paths, strict=True):
        record = _record(path)
        m = record["metrics"]
        rows.append(
            {
                "arm": run["arm"],
                "target": float(run["target"]),
                "seed": run["seed"],
                "sparsity": m["sparsity"],
                "test_accuracy": 100 * m["test"]["accuracy"],
                "epochs": m["epochs"],
                "failed": record.get("failed", ""),
            }
        )
    return pd.DataFrame(rows).astype({"epochs": "Float64"})


def scratch_table(scratch: pd.DataFrame) -> pd.DataFrame:
    """003-F6's numbers: per arm and target sparsity, the sparsity, test accuracy (mean and std over seeds) and the
    epochs trained (Scratch-B: scaled by the FLOPs ratio); `failed`: why runs of the row failed (its accuracy is then
    missing)."""
    table = mean_std(scratch, ["arm", "target"], ["sparsity", "test_accuracy"])
    grouped = scratch.groupby(["arm", "target"], sort=False)
    table = table.merge(grouped["epochs"].mean().reset_index(), on=["arm", "target"])
    table = table.merge(failure_reasons(scratch, ["arm", "target"]).reset_index(), on=["arm", "target"])
    table["arm"] = pd.Categorical(table["arm"], list(F6_NAMES))
    table = table.sort_values(["target", "arm"]).reset_index(drop=True)
    table["arm"] = table["arm"].map(F6_NAMES).astype(str)
    return table
