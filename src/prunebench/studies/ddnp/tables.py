"""002-T1 (CIFAR) and 002-T2 (ImageNet): per model, baseline and pruned accuracy (T2: top-1 and top-5), their
difference, FLOPs reduction, parameters and measured CPU latency of each method run here (mean and std over seeds),
beside the document's reported rows."""

from __future__ import annotations

import json

import pandas as pd

from prunebench.tables import failure_reasons, mean_std

MEASURES = [
    "baseline_accuracy",
    "pruned_accuracy",
    "delta_accuracy",
    "flops_reduction",  # of the whole network (the document's "FLOPs reduction")
    "prunable_flops_reduction",  # of the FLOPs the prunable widths change (the budget's T_total by default)
    "slimmed_parameters",
    "latency_batch1_ms",
    "latency_batch64_ms",
    "search_flops_reduction",  # prunable FLOPs removed by the search's own widths (searched variants)
]
# Per searched row: whether every seed's search ended within its budget, and whether any was projected to it.
SEARCH_FLAGS = {"search_within_budget": "all", "projected": "any"}
# 002-T2's columns, named as in the document's Table 2 (data/table2_imagenet.csv) <- the columns of `run_rows`.
IMAGENET_MEASURES = {
    "baseline_top1": "baseline_accuracy",
    "pruned_top1": "pruned_accuracy",
    "delta_top1": "delta_accuracy",
    "baseline_top5": "baseline_top5_accuracy",
    "pruned_top5": "pruned_top5_accuracy",
    "delta_top5": "delta_top5_accuracy",
    **{measure: measure for measure in MEASURES if "accuracy" not in measure},
}


def _read(path) -> dict:
    with open(path) as f:
        return json.load(f)


def search_columns(search: dict | None) -> dict:
    """A searched run's search summary (the slimming record's `search`); empty for the one-shot criteria."""
    if search is None:
        return {"search_flops_reduction": float("nan"), "search_within_budget": None, "projected": None}
    return {
        "search_flops_reduction": search["search_prunable_flops_reduction"],
        "search_within_budget": bool(search["search_within_budget"]),
        "projected": bool(search["projected"]),
    }


def combined(values: pd.Series, how: str) -> bool | None:
    """all / any of a group's flags; None where the rows have none (one-shot criteria)."""
    present = values.dropna()
    return None if present.empty else bool(getattr(present.astype(bool), how)())


def run_rows(runs: list[dict], dense_metrics, evaluations, slimmings) -> pd.DataFrame:
    """One row per pruned run (wildcard dicts with `method`), from its dense model's metrics, its evaluation and its
    slimming record. Latency is the evaluation's timing (not bitwise reproducible). `failed`: why the run's training
    diverged (carried on to its evaluation), blank when it did not."""
    rows = []
    for run, dense_path, evaluation_path, slimming_path in zip(runs, dense_metrics, evaluations, slimmings):
        dense, evaluation, slimming = (
            _read(dense_path)["metrics"],
            _read(evaluation_path),
            _read(slimming_path)["slimming"],
        )
        latency = evaluation["timing"]["latency"]
        rows.append(
            {
                "dataset": run["dataset"],
                "model": run["model"],
                "method": run["method"],
                "variant": run["variant"],
                "target_flops_reduction": float(run["target"]),
                "seed": run["seed"],
                "failed": evaluation.get("failed", ""),
                "baseline_accuracy": dense["test"]["accuracy"],
                "pruned_accuracy": evaluation["metrics"]["test"]["accuracy"],
                "delta_accuracy": evaluation["metrics"]["test"]["accuracy"] - dense["test"]["accuracy"],
                "baseline_top5_accuracy": dense["test"]["top5_accuracy"],
                "pruned_top5_accuracy": evaluation["metrics"]["test"]["top5_accuracy"],
                "delta_top5_accuracy": evaluation["metrics"]["test"]["top5_accuracy"] - dense["test"]["top5_accuracy"],
                "flops_reduction": 1.0 - slimming["slimmed_flops"] / slimming["dense_flops"],
                "prunable_flops_reduction": (
                    (slimming["dense_flops"] - slimming["slimmed_flops"])
                    / (slimming["dense_flops"] - slimming["fixed_flops"])
                ),
                "slimmed_parameters": evaluation["metrics"]["cost"]["slimmed_parameters"],
                "latency_batch1_ms": latency["batch1"]["median_ms"],
                "latency_batch64_ms": latency["batch64"]["median_ms"],
                **search_columns(slimming.get("search")),
            }
        )
    return pd.DataFrame(rows)


def comparison_table(rows: pd.DataFrame, reported: pd.DataFrame, measures: list[str] = MEASURES) -> pd.DataFrame:
    """The runs' mean and std per (dataset, model, method, target FLOPs reduction), source "run here", then the
    reported rows (source "reported", one value each, no std, no parameters or latency). `failed`: why runs of a row
    failed (its measures are then missing)."""
    keys = ["dataset", "model", "method", "variant", "target_flops_reduction"]
    run = mean_std(rows, keys, [m for m in measures if m in rows.columns])
    for flag, how in SEARCH_FLAGS.items():
        if flag in rows.columns:
            flags = rows.groupby(keys, sort=False)[flag]
            run[flag] = flags.agg(lambda values, how=how: combined(values, how)).to_numpy()
    run["failed"] = failure_reasons(rows, keys).to_numpy()
    run.insert(0, "source", "run here")
    shown = reported.rename(columns={c: f"{c}_mean" for c in measures if c in reported.columns}).drop(
        columns=["source"]
    )
    shown.insert(0, "source", "reported")
    shown["variant"] = shown["method"]
    return pd.concat([run, shown], ignore_index=True)[list(run.columns)]


def imagenet_table(rows: pd.DataFrame, reported: pd.DataFrame) -> pd.DataFrame:
    """002-T2: `comparison_table` with top-1 and top-5 accuracy, beside the document's Table 2."""
    renamed = rows.rename(columns={run: shown for shown, run in IMAGENET_MEASURES.items()})
    return comparison_table(renamed, reported, list(IMAGENET_MEASURES))


# Each table of the study by artifact ID: (the table from `run_rows` and the reported rows, its title).
TABLES = {
    "002-T1": (
        comparison_table,
        (
            "002-T1: channel pruning at a FLOPs budget, run here (mean and std over seeds) and as reported in the"
            " document's Table 1 (CIFAR-10)"
        ),
    ),
    "002-T2": (
        imagenet_table,
        (
            "002-T2: channel pruning on ImageNet, run here (mean and std over seeds) and as reported in the document's"
            " Table 2"
        ),
    ),
}
