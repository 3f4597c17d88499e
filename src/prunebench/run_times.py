"""Where a run's time goes: every job's benchmark record (Snakemake's `benchmark:` file: wall seconds, CPU seconds,
peak memory) and the start-up its log records (prunebench.joblog), summed per rule and per study into
results/run_times.{csv,md,png} by the run_times rule, the last job of a whole run."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from prunebench.joblog import STARTUP_LINE

BENCHMARKS = "benchmarks"  # logs/benchmarks/<rule>/<the job's log path, without .log>.tsv
STARTUP = re.compile(STARTUP_LINE.replace("{:.3f}", r"([0-9.]+)"))


def benchmark_path(logs: str, rule: str, log: str) -> str:
    """A rule's benchmark pattern beside its log pattern: the same wildcards, so one record per job."""
    return f"{logs}/{BENCHMARKS}/{rule}/{Path(log).relative_to(logs).with_suffix('.tsv')}"


def job_times(logs) -> pd.DataFrame:
    """One row per job that has a benchmark record: rule, study (the first folder of its log: a study, `data`, or
    `workflow` for the catalog and claims page), wall_s, cpu_s, max_rss_mb and startup_s (NaN where the log has
    none)."""
    logs = Path(logs)
    rows = []
    for record in sorted((logs / BENCHMARKS).rglob("*.tsv")):
        rule, *job = record.relative_to(logs / BENCHMARKS).parts
        bench = pd.read_csv(record, sep="\t").iloc[-1]
        log = logs.joinpath(*job).with_suffix(".log")
        found = STARTUP.search(log.read_text()) if log.exists() else None
        rows.append(
            {
                "rule": rule,
                "study": job[0] if len(job) > 1 else "workflow",
                "job": str(Path(*job).with_suffix("")),
                "wall_s": float(bench["s"]),
                "cpu_s": float(bench["cpu_time"]),
                "max_rss_mb": float(bench["max_rss"]),
                "startup_s": float(found.group(1)) if found else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["rule", "study", "job", "wall_s", "cpu_s", "max_rss_mb", "startup_s"])


def summary(jobs: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group: jobs, total and median wall seconds, total CPU seconds, peak memory, total start-up and its share
    of the wall time."""
    grouped = jobs.groupby(by, sort=False)
    table = grouped.agg(
        jobs=("wall_s", "size"),
        wall_s=("wall_s", "sum"),
        median_wall_s=("wall_s", "median"),
        cpu_s=("cpu_s", "sum"),
        max_rss_mb=("max_rss_mb", "max"),
        startup_s=("startup_s", "sum"),
    ).reset_index()
    table["startup_share"] = table["startup_s"] / table["wall_s"]
    return table.sort_values("wall_s", ascending=False, ignore_index=True)


def write_run_times(logs, table, markdown, figure) -> None:
    """`table` (CSV, per rule, with its study), `markdown` (per study, then per rule) and `figure` (PNG, job wall time
    per rule, start-up shaded), from every record under `logs`."""
    jobs = job_times(logs)
    per_rule = summary(jobs, ["study", "rule"])
    per_study = summary(jobs, ["study"])
    total = summary(jobs.assign(all="all jobs"), ["all"]).rename(columns={"all": "study"})
    per_rule.to_csv(table, index=False)
    Path(markdown).write_text(
        "# Where the run's time went\n\nJob wall and CPU seconds from each job's benchmark record; start-up: the "
        "seconds before a job's script opened its log.\n\n## Per study\n\n"
        + pd.concat([per_study, total]).to_markdown(index=False, floatfmt=".3g")
        + "\n\n## Per rule\n\n"
        + per_rule.to_markdown(index=False, floatfmt=".3g")
        + "\n"
    )
    _figure(per_rule, Path(figure))


def _figure(per_rule: pd.DataFrame, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = per_rule["study"] + " / " + per_rule["rule"]
    fig, ax = plt.subplots(figsize=(8, 0.25 * len(per_rule) + 1.2))
    ax.barh(labels, per_rule["wall_s"], color="tab:blue", label="job wall time")
    ax.barh(labels, per_rule["startup_s"], color="tab:orange", label="of which start-up")
    ax.invert_yaxis()
    ax.set_xlabel("seconds, summed over the rule's jobs")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
