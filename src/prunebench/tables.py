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


def mean_std(frame: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Mean, sample std (blank for a single seed) and count of `columns` over the rows of each group."""
    grouped = frame.groupby(by, sort=False)[columns]
    out = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=1).add_suffix("_std"))
    out["n_seeds"] = grouped.size()
    ordered = [f"{c}_{s}" for c in columns for s in ("mean", "std")] + ["n_seeds"]
    return out[ordered].reset_index()
