"""002's search results as tables: the held-out accuracy of every search epoch (002-F4) and the searched widths per
layer (002-F3), one row per (run, variant, FLOPs budget, seed), read from the search stage's history and record."""

from __future__ import annotations

import json

import pandas as pd

from prunebench.tables import blank_if_finished, failure_reasons, mean_std

# 002-F4's comparisons (the document's Fig. 4), by variant name: the first is the document's setting. A variant the
# config does not search is left out of its panel. `ddnp_code` is the authors' released code, not the document.
F4_COMPARISONS = {
    "DDNP vs DP": ["ddnp", "dp", "ddnp_literal", "ddnp_code", "ddnp_code_ip"],
    "soft vs hard top-k": ["ddnp", "ddnp_hard"],
    "g_s architecture": ["ddnp", "ddnp_gs_fc", "ddnp_gs_channel"],
    "g_s output function": ["ddnp", "ddnp_abs", "ddnp_square"],
}
LABELS = {
    "ddnp": "DDNP",
    "dp": "DP",
    "ddnp_literal": "DDNP, the document read literally",
    "ddnp_code": "DDNP (released code)",
    "ddnp_code_ip": "DDNP (released code, --ip True)",
    "ddnp_hard": "hard top-k (window 0)",
    "ddnp_gs_fc": "g_s = FC",
    "ddnp_gs_channel": "g_s = per-channel",
    "ddnp_abs": "output abs",
    "ddnp_square": "output square",
}
KEYS = ["dataset", "model", "variant", "method", "target_flops_reduction", "seed"]


def _key(run: dict) -> dict:
    return {**{k: run[k] for k in KEYS if k in run}, "target_flops_reduction": float(run["target"])}


CURVE = ["epoch", "heldout_accuracy", "flops_ratio", "within_budget", "failed"]


def search_curves(runs: list[dict], histories: list[str]) -> pd.DataFrame:
    """Held-out accuracy, FLOPs ratio and budget flag of every search epoch (epoch 0: before any update), and why the
    search failed ("" when it did not; a failed search's history stops before the epoch it diverged in)."""
    frames = []
    for run, path in zip(runs, histories):
        history = pd.read_csv(path)[CURVE]
        frames.append(history.assign(failed=blank_if_finished(history["failed"]), **_key(run)))
    return pd.concat(frames, ignore_index=True)[[*KEYS, *CURVE]]


def searched_widths(runs: list[dict], records: list[str]) -> pd.DataFrame:
    """The selected widths of every search: per prunable layer (in network order) its channels and those kept."""
    rows = []
    for run, path in zip(runs, records):
        record = json.loads(open(path).read())["search"]
        for index, (layer, channels) in enumerate(record["channels"].items()):
            kept = record["widths"][layer]
            rows.append(
                {
                    **_key(run),
                    "layer_index": index,
                    "layer": layer,
                    "channels": channels,
                    "kept": kept,
                    "kept_fraction": kept / channels,
                }
            )
    return pd.DataFrame(rows)


def final_accuracy(curves: pd.DataFrame) -> pd.DataFrame:
    """Per (dataset, model, variant, budget): mean and std over seeds of the held-out accuracy at the last search
    epoch (the gates the search keeps with `select: last`), whether every seed's last masks are within budget, and
    `failed`: why searches of the row failed (a failed search's accuracy is not counted, so the row's mean is missing).
    """
    last = curves.loc[curves.groupby(KEYS)["epoch"].idxmax()]
    failed = blank_if_finished(last["failed"])
    last = last.assign(failed=failed, heldout_accuracy=last["heldout_accuracy"].where(failed == ""))
    group = ["dataset", "model", "variant", "method", "target_flops_reduction"]
    summary = mean_std(last, group, ["heldout_accuracy"])
    summary["within_budget"] = (
        last.groupby(group, sort=False)["within_budget"].all().to_numpy()
    )  # every seed's last masks
    summary["failed"] = failure_reasons(last, group).to_numpy()
    return summary
