"""004 tables: loss/accuracy against k (004-T1), elimination KS statistics (004-B1), forward time (004-B2)."""

from __future__ import annotations

import json

import pandas as pd

from prunebench.atomic import load_torch
from prunebench.pruning import load_masks
from prunebench.studies.weight_vs_unit.elimination import elimination_stats

from prunebench.tables import failure_reasons, mean_std

SPLITS = ("test", "val", "train")
COST = ("nonzero_parameters", "forward_flops", "size_bytes", "size_gzip_bytes")


def _read_json(path) -> dict:
    with open(path) as f:
        return json.load(f)


def collect_evaluations(runs: list[dict], evaluation_paths: list[str]) -> pd.DataFrame:
    """One row per (seed, variant, sparsity): loss and accuracy on each split and the cost record."""
    rows = []
    for run, path in zip(runs, evaluation_paths, strict=True):
        record = _read_json(path)
        metrics = record["metrics"]
        row = {
            "variant": run["variant"],
            "k_percent": round(100 * float(run["target"]), 6),
            "seed": run["seed"],
            "failed": record.get("failed", ""),
        }
        for split in SPLITS:
            row[f"{split}_loss"] = metrics[split]["loss"]
            row[f"{split}_accuracy"] = metrics[split]["accuracy"]
        row.update({name: metrics["cost"][name] for name in COST})
        rows.append(row)
    return pd.DataFrame(rows)


def loss_accuracy_table(evaluations: pd.DataFrame) -> pd.DataFrame:
    """004-T1: mean (and std over seeds) of loss and accuracy per variant and k; `failed`: why runs of the row failed
    (their loss and accuracy are missing, and so are the row's)."""
    columns = [f"{s}_{m}" for s in ("test", "val") for m in ("loss", "accuracy")] + list(COST)
    table = mean_std(evaluations, ["variant", "k_percent"], columns)
    table = table.drop(columns=[f"{c}_std" for c in COST]).rename(columns={f"{c}_mean": c for c in COST})
    table["failed"] = failure_reasons(evaluations, ["variant", "k_percent"]).to_numpy()
    return table.astype({c: int for c in COST})


def collect_elimination_stats(runs: list[dict], model_paths: list[str], mask_paths: list[str]) -> pd.DataFrame:
    """004-B1: per layer, how the magnitudes of eliminated weights compare to the survivors' (KS statistic)."""
    rows, weights = [], {}
    for run, model_path, mask_path in zip(runs, model_paths, mask_paths, strict=True):
        if model_path not in weights:
            weights[model_path] = load_torch(model_path, map_location="cpu")["state_dict"]
        for layer in elimination_stats(weights[model_path], load_masks(mask_path)):
            rows.append(
                {
                    "variant": run["variant"],
                    "k_percent": round(100 * float(run["target"]), 6),
                    "seed": run["seed"],
                    **layer,
                }
            )
    frame = pd.DataFrame(rows)
    return frame[frame["k_percent"] > 0].reset_index(drop=True)


def forward_time_table(latency_path: str) -> pd.DataFrame:
    """004-B2: forward time of a minibatch per variant, k and execution, and the speedup over dense at that k."""
    frame = pd.read_csv(latency_path)
    frame.insert(1, "k_percent", (100 * frame.pop("sparsity")).round(6))
    dense = frame[frame["execution"] == "dense"].set_index(["variant", "k_percent"])["median_ms"]
    dense_at = dense.reindex(pd.MultiIndex.from_frame(frame[["variant", "k_percent"]])).to_numpy()
    frame["speedup_vs_dense"] = dense_at / frame["median_ms"]
    return frame


def protocol_table(
    runs: list[dict], evaluation_paths: list[str], dense_runs: list[dict], dense_paths: list[str], settings: dict
) -> pd.DataFrame:
    """004-B3: test loss and accuracy against k per protocol, seed and variant. `runs` carry protocol, seed, variant
    and sparsity; `dense_runs` protocol and seed: their trained model (dense/metrics.json) is every variant's k = 0;
    `settings`: protocol -> {init, epochs, select}, in the order of the table."""
    variants = list(dict.fromkeys(run["variant"] for run in runs))
    dense = {
        (r["protocol"], r["seed"]): _read_json(path)["metrics"] for r, path in zip(dense_runs, dense_paths, strict=True)
    }
    points = [(key, variant, 0.0, metrics) for key, metrics in dense.items() for variant in variants]
    for run, path in zip(runs, evaluation_paths, strict=True):
        key = (run["protocol"], run["seed"])
        points.append((key, run["variant"], round(100 * float(run["target"]), 6), _read_json(path)["metrics"]))
    frame = pd.DataFrame(
        [
            {
                "protocol": protocol,
                **settings[protocol],
                "seed": seed,
                "selected_epoch": dense[protocol, seed]["selected_epoch"],
                "variant": variant,
                "k_percent": k,
                "test_loss": metrics["test"]["loss"],
                "test_accuracy": metrics["test"]["accuracy"],
            }
            for (protocol, seed), variant, k, metrics in points
        ]
    )
    order = {"protocol": list(settings), "variant": variants}
    frame = frame.sort_values(
        ["protocol", "seed", "variant", "k_percent"],
        key=lambda c: c.map(order[c.name].index) if c.name in order else c,
        kind="stable",
    )
    return frame.reset_index(drop=True)
