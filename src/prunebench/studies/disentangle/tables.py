"""000-T1 (accuracy and compressed size per model, beta and pruning, one section per dataset) and the MIG
table of the follow-up (000-B1)."""
from __future__ import annotations

import json
import math

import pandas as pd

from prunebench.atomic import write_csv, write_text
from prunebench.studies.disentangle.protocol import collapsed

MODEL_LABELS = {"cnn_classif": "CNN-Classif", "beta_vae_classif": "Beta-VAE-Classif"}


def _read_json(path) -> dict:
    with open(path) as f:
        return json.load(f)


def collect_runs(runs: list[dict], with_head_paths: list[str], unpruned_paths: list[str], pruned_paths: list[str]) -> pd.DataFrame:
    """One row per (dataset, model, seed, pruned): test accuracy (and that of the first phase, with the
    reconstruction head), gzip size, classes. `runs`: dataset, model, seed, arch, beta (None for CNN-Classif),
    num_classes."""
    rows = []
    for run, with_head, unpruned, pruned in zip(runs, with_head_paths, unpruned_paths, pruned_paths, strict=True):
        head_accuracy = _read_json(with_head)["metrics"]["test"]["accuracy"]
        for is_pruned, path in ((False, unpruned), (True, pruned)):
            metrics = _read_json(path)["metrics"]
            rows.append(
                {
                    **{k: run[k] for k in ("dataset", "model", "arch", "beta", "seed", "num_classes")},
                    "pruned": is_pruned,
                    "with_head_test_accuracy": head_accuracy,
                    "test_accuracy": metrics["test"]["accuracy"],
                    "size_gzip_bytes": metrics["cost"]["size_gzip_bytes"],
                    "nonzero_parameters": metrics["cost"]["nonzero_parameters"],
                    "total_parameters": metrics["cost"]["total_parameters"],
                }
            )
    return pd.DataFrame(rows)


def size_unit(dense_bytes: float) -> tuple[str, float]:
    """KB (1000 bytes) for the small networks, MB (10^6 bytes) from 1 MB on, as the document reports."""
    return ("MB", 1e6) if dense_bytes >= 1e6 else ("KB", 1e3)


def table_one(runs: pd.DataFrame) -> pd.DataFrame:
    """000-T1: mean and sample std over seeds of test accuracy (%) and gzip size per (dataset, model, pruned)."""
    rows = []
    for (dataset, model, pruned), part in runs.groupby(["dataset", "model", "pruned"], sort=False):
        unit, scale = size_unit(runs[(runs["dataset"] == dataset) & ~runs["pruned"]]["size_gzip_bytes"].max())
        acc, head_acc, size = 100 * part["test_accuracy"], 100 * part["with_head_test_accuracy"], part["size_gzip_bytes"] / scale
        first = part.iloc[0]
        rows.append(
            {
                "dataset": dataset, "model": MODEL_LABELS[first["arch"]] + (" w/ pruning" if pruned else ""),
                "config_model": model, "beta": first["beta"], "pruned": bool(pruned),
                "accuracy_mean": acc.mean(), "accuracy_std": acc.std(ddof=1) if len(part) > 1 else math.nan,
                "with_head_accuracy_mean": head_acc.mean(),
                "with_head_accuracy_std": head_acc.std(ddof=1) if len(part) > 1 else math.nan,
                "size_mean": size.mean(), "size_std": size.std(ddof=1) if len(part) > 1 else math.nan, "size_unit": unit,
                "nonzero_parameters": int(part["nonzero_parameters"].mean()), "total_parameters": int(first["total_parameters"]),
                "n_seeds": len(part), "chance_level_runs": sum(collapsed(a, first["num_classes"]) for a in part["test_accuracy"]),
            }
        )
    table = pd.DataFrame(rows)
    order = {m: i for i, m in enumerate(dict.fromkeys(runs["model"]))}
    table["_order"] = table["config_model"].map(order)
    return table.sort_values(["dataset", "_order", "pruned"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _pm(mean: float, std: float, digits: int) -> str:
    return f"{mean:.{digits}f}" + ("" if math.isnan(std) else f" ± {std:.{digits}f}")


def display_sections(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per dataset, the document's columns (Model, Beta, Acc. (%), Comp. (KB|MB)), then the accuracy at the end of
    the first phase (with the reconstruction head), the seed count and how many seeds are at chance."""
    sections = {}
    for dataset, part in table.groupby("dataset", sort=False):
        unit = part["size_unit"].iloc[0]
        digits = 2 if unit == "KB" else 3
        sections[dataset] = pd.DataFrame(
            {
                "Model": part["model"],
                "Beta": [("-" if pd.isna(b) else f"{b:g}") for b in part["beta"]],
                "Acc. (%)": [_pm(m, s, 2) for m, s in zip(part["accuracy_mean"], part["accuracy_std"])],
                f"Comp. ({unit})": [_pm(m, s, digits) for m, s in zip(part["size_mean"], part["size_std"])],
                "Acc. with head (%)": [_pm(m, s, 2) for m, s in zip(part["with_head_accuracy_mean"], part["with_head_accuracy_std"])],
                "Seeds": part["n_seeds"],
                "At chance": part["chance_level_runs"],
            }
        )
    return sections


def write_table_one(table: pd.DataFrame, csv_path, markdown_path, latex_path, title: str) -> None:
    """CSV (numbers), Markdown and LaTeX booktabs with one section per dataset."""
    write_csv(csv_path, table)
    sections = display_sections(table)
    markdown = [f"# {title}", ""]
    for dataset, frame in sections.items():
        markdown += [f"## {dataset}", "", frame.to_markdown(index=False, disable_numparse=True), ""]
    write_text(markdown_path, "\n".join(markdown))
    columns = list(next(iter(sections.values())).columns)
    latex = ["\\begin{tabular}{lllllrr}", "\\toprule"]
    for i, (dataset, frame) in enumerate(sections.items()):
        if i:
            latex.append("\\midrule")
        latex.append(f"\\multicolumn{{{len(columns)}}}{{c}}{{{_tex(dataset)}}} \\\\")
        latex.append("\\midrule")
        latex.append(" & ".join(_tex(c) for c in frame.columns) + " \\\\")
        latex.append("\\midrule")
        for row in frame.itertuples(index=False):
            latex.append(" & ".join(_tex(str(v)) for v in row) + " \\\\")
    latex += ["\\bottomrule", "\\end{tabular}", ""]
    write_text(latex_path, "\n".join(latex))


def _tex(text: str) -> str:
    return text.replace("_", "\\_").replace("%", "\\%").replace("±", "$\\pm$")


def collect_mig(runs: list[dict], paths: list[str]) -> pd.DataFrame:
    """000-B1: per (beta, seed) MIG and test accuracy of the dSprites runs, before and after pruning."""
    rows = []
    for run, path in zip(runs, paths, strict=True):
        metrics = _read_json(path)["metrics"]
        row = {"beta": float(run["beta"]), "seed": run["seed"]}
        for phase in ("unpruned", "pruned"):
            row[f"{phase}_mig"] = metrics[phase]["mig"]["mig"]
            row[f"{phase}_test_accuracy"] = metrics[phase]["test"]["accuracy"]
        for name, gap in zip(metrics["factors"], metrics["unpruned"]["mig"]["per_factor"]):
            row[f"unpruned_gap_{name}"] = gap
        rows.append(row)
    return pd.DataFrame(rows)
