"""The claims page of the HTML report: every study's claims (collect_claims' table) as one self-contained HTML page,
opening with the count of each status per study. The report shows an HTML result full width; a CSV it only offers
for download."""

from __future__ import annotations

from html import escape

import pandas as pd

from prunebench.atomic import write_text
from prunebench.claims import STATUSES, status_counts

# green, red, amber, grey, blue
STATUS_COLOURS = dict(zip(STATUSES, ("#d9f2d9", "#f8d7d7", "#fbecc8", "#eeeeee", "#dde8f8"), strict=True))

STYLE = """
body { font-family: system-ui, sans-serif; font-size: 14px; color: #1e293b; margin: 1.5em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #cbd5e1; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; position: sticky; top: 0; }
td.claim-id, td.study, td.status { white-space: nowrap; }
"""


def _row(cells: list[str], status: str | None = None) -> str:
    style = f' style="background: {STATUS_COLOURS[status]}"' if status else ""
    return f"<tr{style}>" + "".join(cells) + "</tr>"


def _table(header: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def claims_html(table: pd.DataFrame) -> str:
    """The page for collect_claims' table (study, claim_id, document, test, observed, holds, reason)."""
    counts = status_counts(table)
    count_rows = [_row([f"<td>{escape(str(v))}</td>" for v in row]) for row in counts.itertuples(index=False)]
    claim_rows = [
        _row(
            [
                f'<td class="study">{escape(c.study)}</td>',
                f'<td class="claim-id">{escape(c.claim_id)}</td>',
                f"<td>{escape(str(c.document))}</td>",
                f"<td>{escape(str(c.test))}</td>",
                f"<td>{escape(str(c.observed))}</td>",
                f'<td class="status">{escape(c.holds)}</td>',
                f"<td>{escape(str(c.reason))}</td>",
            ],
            c.holds,
        )
        for c in table.itertuples(index=False)
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Claims of every study</title>'
        f"<style>{STYLE}</style></head><body>\n"
        "<h1>Claims of every study</h1>\n"
        "<p>Each row is one finding of a document (its words), the test that decides it on this run's numbers, "
        "the numbers observed and whether it holds; <i>inconclusive</i>: the test ran but the evidence cannot "
        "carry a verdict (the runs it rests on had not converged, the effect is inside a control's noise floor, or "
        "the test has too few seeds; the reason says which, and what the test alone read); "
        "<i>not tested</i>: the config lacks the runs the test needs, or some of them failed; "
        "<i>reported</i>: only the published numbers speak to it.</p>\n"
        f"{_table(list(counts.columns), count_rows)}\n"
        f"{_table(['study', 'claim', 'document', 'test', 'observed', 'holds', 'reason'], claim_rows)}\n"
        "</body></html>\n"
    )


def write_claims_html(table: pd.DataFrame, path) -> None:
    write_text(path, claims_html(table))
