"""Every table is written three ways: CSV (data), Markdown (report/README), LaTeX booktabs (papers)."""

from __future__ import annotations

import pandas as pd

from prunebench.atomic import write_csv, write_text


def write_table(frame: pd.DataFrame, csv_path, markdown_path, latex_path=None, title: str | None = None) -> None:
    write_csv(csv_path, frame)
    # tabulate leaves float NaN as "nan"; as None it becomes the blank `missingval`.
    markdown = frame.astype(object).where(frame.notna(), None).to_markdown(index=False, floatfmt=".4g", missingval="")
    write_text(markdown_path, (f"# {title}\n\n" if title else "") + markdown + "\n")
    if latex_path is not None:
        write_text(latex_path, frame.to_latex(index=False, float_format="%.4g", na_rep=""))


def blank_if_finished(failed: pd.Series) -> pd.Series:
    """A `failed` column as a CSV reads it back (a blank reason: NaN) with "" where the run finished."""
    return failed.astype(object).fillna("")


def failure_reasons(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    """The `failed` column of each group of `frame` (one row per run, "" where the run did not fail): its distinct
    reasons joined, "" where every run of the group finished."""
    return frame.groupby(by, sort=False)["failed"].agg(
        lambda reasons: "; ".join(dict.fromkeys(r for r in reasons if r))
    )


def mean_std(frame: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Mean, sample std (blank for a single seed) and count of `columns` over the rows of each group. A missing value
    (a failed run's NaN) makes its group's mean and std missing too: never an average of the runs that survived."""
    grouped = frame.groupby(by, sort=False)[columns]
    missing = frame[columns].isna().groupby([frame[key] for key in by], sort=False).any()
    out = grouped.mean().mask(missing).add_suffix("_mean").join(grouped.std(ddof=1).mask(missing).add_suffix("_std"))
    out["n_seeds"] = grouped.size()
    ordered = [f"{c}_{s}" for c in columns for s in ("mean", "std")] + ["n_seeds"]
    return out[ordered].reset_index()
