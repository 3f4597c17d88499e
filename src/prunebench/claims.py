"""A claim: one qualitative finding of a document, the numbers observed here, and whether it holds."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import pandas as pd

from prunebench.atomic import write_csv, write_text
from prunebench.tables import blank_if_finished, write_table


STATUSES = ("holds", "does not hold", "not tested", "reported")  # the `holds` column of every claims file
CLAIM_COLUMNS = ("claim_id", "document", "test", "observed", "holds")  # a claims file's columns, in order


@dataclass(frozen=True)
class Claim:
    claim_id: str
    document: str  # the finding as the document states it
    test: str  # how it is decided here, thresholds included
    observed: str
    holds: bool | None  # None: not testable with this config (e.g. the needed k is not in the sweep)
    reported_only: bool = False  # only the document's (or its sources') published numbers can speak to it: no verdict

    def __post_init__(self):
        if self.reported_only and self.holds is not None:
            raise ValueError(f"{self.claim_id}: a claim only the published numbers speak to has no verdict here")

    @property
    def status(self) -> str:
        if self.reported_only:
            return STATUSES[3]
        return {True: STATUSES[0], False: STATUSES[1], None: STATUSES[2]}[self.holds]


def untested_if_failed(claim: Claim, failures: list[str]) -> Claim:
    """A claim decided on runs of which some failed (diverged) is not tested: `observed` gives the reasons instead."""
    if not failures:
        return claim
    return replace(claim, holds=None, observed=f"not tested: runs it depends on failed ({'; '.join(dict.fromkeys(failures))})")


def finished_rows(table: pd.DataFrame | None) -> pd.DataFrame | None:
    """The rows of a table no failed run went into: what a claim that `untested_if_failed` then marks not tested is
    still built on, for its wording (a verdict on missing values could not be computed)."""
    if table is None or "failed" not in table:
        return table
    return table[blank_if_finished(table["failed"]) == ""]


def failures_of(table: pd.DataFrame) -> list[str]:
    """The failure reasons in a table's `failed` column (blank where a run finished; no column: none failed)."""
    if "failed" not in table:
        return []
    return [reason for reason in blank_if_finished(table["failed"]) if reason]


def write_claims(claims: list[Claim], csv_path, markdown_path, title: str) -> None:
    frame = pd.DataFrame([asdict(c) for c in claims]).drop(columns="reported_only")
    frame["holds"] = [c.status for c in claims]
    write_table(frame, csv_path, markdown_path, title=title)


def collect_claims(claims_files: dict[str, str]) -> pd.DataFrame:
    """Every study's claims in one table ({study: its <id>-claims.csv} -> study, claim_id, document, test, observed,
    holds), in study order, and the count of each status per study."""
    frames = [pd.read_csv(path).assign(study=study) for study, path in claims_files.items()]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["study", *CLAIM_COLUMNS])
    return table[["study", *CLAIM_COLUMNS]]


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """study x status: how many claims of each study hold, do not hold, are not tested, are reported."""
    counts = pd.crosstab(table["study"], table["holds"]).reindex(columns=list(STATUSES), fill_value=0)
    return counts.reindex(list(dict.fromkeys(table["study"]))).reset_index()


def write_claims_page(table: pd.DataFrame, csv_path, markdown_path) -> None:
    """results/claims.{csv,md}: every claim of every study; the Markdown page opens with the status counts."""
    write_csv(csv_path, table)
    counts = status_counts(table).to_markdown(index=False)
    claims = table.to_markdown(index=False)
    write_text(markdown_path, f"# Claims of every study\n\n{counts}\n\n{claims}\n")
