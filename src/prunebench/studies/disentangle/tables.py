"""000-T1 (accuracy and compressed size per model, beta and pruning, one section per dataset) and the MIG
table of the follow-up (000-B1)."""
from __future__ import annotations

import json
import math

import pandas as pd

from prunebench.atomic import write_csv, write_text
from prunebench.studies.disentangle.protocol import collapsed
from prunebench.tables import mean_std

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
    """000-T1: mean and sample std over seeds of test accuracy (%) and gzip size per (dataset, model, pruned); on the
    pruned rows also the accuracy points pruning cost (unpruned - pruned, paired by seed)."""
    rows = []
    for (dataset, model, pruned), part in runs.groupby(["dataset", "model", "pruned"], sort=False):
        unit, scale = size_unit(runs[(runs["dataset"] == dataset) & ~runs["pruned"]]["size_gzip_bytes"].max())
        acc, head_acc, size = 100 * part["test_accuracy"], 100 * part["with_head_test_accuracy"], part["size_gzip_bytes"] / scale
        first = part.iloc[0]
        loss = math.nan * acc
        if pruned:
            unpruned = runs[(runs["dataset"] == dataset) & (runs["model"] == model) & ~runs["pruned"]].set_index("seed")
            loss = 100 * unpruned.loc[part["seed"], "test_accuracy"].to_numpy() - acc
        rows.append(
            {
                "dataset": dataset, "model": MODEL_LABELS[first["arch"]] + (" w/ pruning" if pruned else ""),
                "config_model": model, "beta": first["beta"], "pruned": bool(pruned),
                "accuracy_mean": acc.mean(), "accuracy_std": _std(acc),
                "with_head_accuracy_mean": head_acc.mean(), "with_head_accuracy_std": _std(head_acc),
                "pruning_loss_mean": loss.mean(), "pruning_loss_std": _std(loss),
                "size_mean": size.mean(), "size_std": _std(size), "size_unit": unit,
                "nonzero_parameters": int(part["nonzero_parameters"].mean()), "total_parameters": int(first["total_parameters"]),
                "n_seeds": len(part), "chance_level_runs": sum(collapsed(a, first["num_classes"]) for a in part["test_accuracy"]),
            }
        )
    table = pd.DataFrame(rows)
    order = {m: i for i, m in enumerate(dict.fromkeys(runs["model"]))}
    table["_order"] = table["config_model"].map(order)
    return table.sort_values(["dataset", "_order", "pruned"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _std(values: pd.Series) -> float:
    """Sample std over seeds; NaN for a single seed."""
    return values.std(ddof=1) if len(values) > 1 else math.nan


def _pm(mean: float, std: float, digits: int) -> str:
    return f"{mean:.{digits}f}" + ("" if math.isnan(std) else f" ± {std:.{digits}f}")


def display_sections(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per dataset, the document's columns (Model, Beta, Acc. (%), Comp. (KB|MB)), then the accuracy at the end of
    the first phase (with the reconstruction head), the accuracy points pruning cost, the seed count and how many
    seeds are at chance."""
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
                "Lost to pruning (points)": [
                    "" if math.isnan(m) else _pm(m, s, 2) for m, s in zip(part["pruning_loss_mean"], part["pruning_loss_std"])
                ],
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
    latex = ["\\begin{tabular}{" + "l" * (len(columns) - 2) + "rr}", "\\toprule"]
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


# 000-B1: the latent's MIG at each point of a run, the untrained encoder first as the reference, and the test accuracy
# of the model at the points where it classifies.
MIG_POINTS = ("untrained", "with_head", "headless", "pruned")
ACCURACY_POINTS = ("with_head", "headless", "pruned")


def collect_mig(runs: list[dict], mig_paths: dict[str, list[str]], accuracy_paths: dict[str, list[str]]) -> pd.DataFrame:
    """000-B1: one row per pruned Beta-VAE-Classif run on a dataset with factors (`runs`: dataset, beta, seed,
    variant, sparsity): mig_<point> for each of MIG_POINTS, <point>_test_accuracy for each of ACCURACY_POINTS, and
    the normalized gap of each factor after the first phase (with_head_gap_<factor>)."""
    rows = []
    for i, run in enumerate(runs):
        row = {k: run[k] for k in ("dataset", "seed", "variant", "sparsity")} | {"beta": float(run["beta"])}
        for point in MIG_POINTS:
            row[f"mig_{point}"] = _read_json(mig_paths[point][i])["metrics"]["mig"]
        for point in ACCURACY_POINTS:
            row[f"{point}_test_accuracy"] = _read_json(accuracy_paths[point][i])["metrics"]["test"]["accuracy"]
        for factor, gap in _read_json(mig_paths["with_head"][i])["metrics"]["per_factor"].items():
            row[f"with_head_gap_{factor}"] = gap
        rows.append(row)
    return pd.DataFrame(rows)


def mig_summary(mig: pd.DataFrame) -> pd.DataFrame:
    """Mean and sample std over seeds of every MIG and accuracy column, per (dataset, beta)."""
    columns = [f"mig_{p}" for p in MIG_POINTS] + [f"{p}_test_accuracy" for p in ACCURACY_POINTS]
    return mean_std(mig, ["dataset", "beta"], columns)


def write_mig_table(mig: pd.DataFrame, csv_path, markdown_path, title: str) -> None:
    """CSV: one row per run; Markdown: the per-beta summary, then every run."""
    write_csv(csv_path, mig)
    summary = mig_summary(mig)
    markdown = [
        f"# {title}", "", "## Mean and std over seeds, per dataset and beta", "",
        summary.to_markdown(index=False, floatfmt=".4g"), "", "## Every run", "", mig.to_markdown(index=False, floatfmt=".4g"), "",
    ]
    write_text(markdown_path, "\n".join(markdown))
