"""000-T1 (accuracy and compressed size per model, beta and pruning, one section per dataset) and the MIG
table of the follow-up (000-B1)."""

from __future__ import annotations

import json
import math

import pandas as pd

from prunebench.atomic import write_csv, write_text
from prunebench.studies.disentangle.protocol import collapsed
from prunebench.tables import failure_reasons, mean_std

MODEL_LABELS = {"cnn_classif": "CNN-Classif", "beta_vae_classif": "Beta-VAE-Classif"}


def _read_json(path) -> dict:
    with open(path) as f:
        return json.load(f)


def collect_runs(
    runs: list[dict], with_head_paths: list[str], unpruned_paths: list[str], pruned_paths: list[str]
) -> pd.DataFrame:
    """One row per (dataset, model, seed, pruned): test accuracy (and that of the first phase, with the
    reconstruction head), gzip size, classes, and `failed`: why the run's training failed ("" when it did not; each
    stage's record carries the failures of the stages before it). `runs`: dataset, model, seed, arch, beta (None for
    CNN-Classif), num_classes."""
    rows = []
    for run, with_head, unpruned, pruned in zip(runs, with_head_paths, unpruned_paths, pruned_paths, strict=True):
        head_accuracy = _read_json(with_head)["metrics"]["test"]["accuracy"]
        for is_pruned, path in ((False, unpruned), (True, pruned)):
            record = _read_json(path)
            metrics = record["metrics"]
            rows.append(
                {
                    **{k: run[k] for k in ("dataset", "model", "arch", "beta", "seed", "num_classes")},
                    "pruned": is_pruned,
                    "with_head_test_accuracy": head_accuracy,
                    "test_accuracy": metrics["test"]["accuracy"],
                    "size_gzip_bytes": metrics["cost"]["size_gzip_bytes"],
                    "nonzero_parameters": metrics["cost"]["nonzero_parameters"],
                    "total_parameters": metrics["cost"]["total_parameters"],
                    "failed": record.get("failed", ""),
                }
            )
    return pd.DataFrame(rows)


def size_unit(dense_bytes: float) -> tuple[str, float]:
    """KB (1000 bytes) for the small networks, MB (10^6 bytes) from 1 MB on, as the document reports."""
    return ("MB", 1e6) if dense_bytes >= 1e6 else ("KB", 1e3)


T1_KEYS = ["dataset", "model", "pruned"]


def table_one(runs: pd.DataFrame) -> pd.DataFrame:
    """000-T1: mean and sample std over seeds of test accuracy (%) and gzip size per (dataset, model, pruned); on the
    pruned rows also the accuracy points pruning cost (unpruned - pruned, paired by seed). `failed`: why runs of the
    row failed; a failed run's accuracies are missing, and so are its row's means (`tables.mean_std`)."""
    runs = runs.reset_index(drop=True)
    unpruned = runs[~runs["pruned"]].set_index(["dataset", "model", "seed"])["test_accuracy"]
    paired = unpruned.reindex(pd.MultiIndex.from_frame(runs[["dataset", "model", "seed"]])).to_numpy()
    units = {
        d: size_unit(part[~part["pruned"]]["size_gzip_bytes"].max()) for d, part in runs.groupby("dataset", sort=False)
    }
    per_run = runs.assign(
        accuracy=100 * runs["test_accuracy"],
        with_head_accuracy=100 * runs["with_head_test_accuracy"],
        pruning_loss=(100 * (paired - runs["test_accuracy"])).where(runs["pruned"]),
        size=runs["size_gzip_bytes"] / runs["dataset"].map(lambda d: units[d][1]),
    )
    table = mean_std(per_run, T1_KEYS, ["accuracy", "with_head_accuracy", "pruning_loss", "size"])
    groups = per_run.groupby(T1_KEYS, sort=False)
    first = groups.first()
    table = table.assign(
        model=[
            MODEL_LABELS[a] + (" w/ pruning" if p else "")
            for a, p in zip(first["arch"], first.index.get_level_values("pruned"))
        ],
        config_model=first.index.get_level_values("model"),
        beta=first["beta"].to_numpy(),
        size_unit=table["dataset"].map(lambda d: units[d][0]),
        nonzero_parameters=groups["nonzero_parameters"].mean().astype(int).to_numpy(),
        total_parameters=first["total_parameters"].astype(int).to_numpy(),
        chance_level_runs=groups.apply(
            lambda part: sum(collapsed(a, c) for a, c in zip(part["test_accuracy"], part["num_classes"]))
        ).to_numpy(),
        failed=failure_reasons(per_run, T1_KEYS).to_numpy(),
    )
    columns = [
        "dataset",
        "model",
        "config_model",
        "beta",
        "pruned",
        "accuracy_mean",
        "accuracy_std",
        "with_head_accuracy_mean",
        "with_head_accuracy_std",
        "pruning_loss_mean",
        "pruning_loss_std",
        "size_mean",
        "size_std",
        "size_unit",
        "nonzero_parameters",
        "total_parameters",
        "n_seeds",
        "chance_level_runs",
        "failed",
    ]
    order = {m: i for i, m in enumerate(dict.fromkeys(runs["model"]))}
    table = table[columns].assign(_order=table["config_model"].map(order))
    return (
        table.sort_values(["dataset", "_order", "pruned"], kind="stable").drop(columns="_order").reset_index(drop=True)
    )


def _pm(mean: float, std: float, digits: int) -> str:
    """mean ± std; blank for a missing mean (a failed run's row), no std for a single seed."""
    if math.isnan(mean):
        return ""
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
                "Acc. with head (%)": [
                    _pm(m, s, 2) for m, s in zip(part["with_head_accuracy_mean"], part["with_head_accuracy_std"])
                ],
                "Lost to pruning (points)": [
                    _pm(m, s, 2) for m, s in zip(part["pruning_loss_mean"], part["pruning_loss_std"])
                ],
                "Seeds": part["n_seeds"],
                "At chance": part["chance_level_runs"],
                "Failed": part["failed"],
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
    latex = ["\\begin{tabular}{" + "l" * (len(columns) - 3) + "rrl}", "\\toprule"]
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


def collect_mig(
    runs: list[dict], mig_paths: dict[str, list[str]], accuracy_paths: dict[str, list[str]]
) -> pd.DataFrame:
    """000-B1: one row per pruned Beta-VAE-Classif run on a dataset with factors (`runs`: dataset, beta, seed,
    variant, target): mig_<point> for each of MIG_POINTS, <point>_test_accuracy for each of ACCURACY_POINTS, the
    normalized gap of each factor after the first phase (with_head_gap_<factor>), and `failed`: why the run's training
    failed ("" when it did not), from the pruned model's evaluation, which carries every earlier stage's failure."""
    rows = []
    for i, run in enumerate(runs):
        row = {k: run[k] for k in ("dataset", "seed", "variant")} | {
            "sparsity": run["target"],
            "beta": float(run["beta"]),
        }
        row["failed"] = _read_json(accuracy_paths["pruned"][i]).get("failed", "")
        for point in MIG_POINTS:
            row[f"mig_{point}"] = _read_json(mig_paths[point][i])["metrics"]["mig"]
        for point in ACCURACY_POINTS:
            row[f"{point}_test_accuracy"] = _read_json(accuracy_paths[point][i])["metrics"]["test"]["accuracy"]
        for factor, gap in _read_json(mig_paths["with_head"][i])["metrics"]["per_factor"].items():
            row[f"with_head_gap_{factor}"] = gap
        rows.append(row)
    return pd.DataFrame(rows)


def mig_summary(mig: pd.DataFrame) -> pd.DataFrame:
    """Mean and sample std over seeds of every MIG and accuracy column, per (dataset, beta); `failed`: why runs of the
    row failed (their values are missing, and so are the row's means)."""
    columns = [f"mig_{p}" for p in MIG_POINTS] + [f"{p}_test_accuracy" for p in ACCURACY_POINTS]
    summary = mean_std(mig, ["dataset", "beta"], columns)
    summary["failed"] = failure_reasons(mig, ["dataset", "beta"]).to_numpy()
    return summary


def write_mig_table(mig: pd.DataFrame, csv_path, markdown_path, title: str) -> None:
    """CSV: one row per run; Markdown: the per-beta summary, then every run."""
    write_csv(csv_path, mig)
    summary = mig_summary(mig)
    markdown = [
        f"# {title}",
        "",
        "## Mean and std over seeds, per dataset and beta",
        "",
        summary.to_markdown(index=False, floatfmt=".4g"),
        "",
        "## Every run",
        "",
        mig.to_markdown(index=False, floatfmt=".4g"),
        "",
    ]
    write_text(markdown_path, "\n".join(markdown))
