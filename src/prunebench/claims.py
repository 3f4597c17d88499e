"""A claim: one qualitative finding of a document, the numbers observed here, and whether it holds."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from prunebench.tables import write_table


@dataclass(frozen=True)
class Claim:
    claim_id: str
    document: str  # the finding as the document states it
    test: str  # how it is decided here, thresholds included
    observed: str
    holds: bool | None  # None: not testable with this config (e.g. the needed k is not in the sweep)


def write_claims(claims: list[Claim], csv_path, markdown_path, title: str) -> None:
    frame = pd.DataFrame([asdict(c) for c in claims])
    frame["holds"] = [{True: "holds", False: "does not hold", None: "not tested"}[h] for h in frame["holds"]]
    write_table(frame, csv_path, markdown_path, title=title)
