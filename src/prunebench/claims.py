"""A claim: one qualitative finding of a document, the numbers observed here, and whether it holds.

A verdict is `holds` or `does not hold` only where the evidence can carry it; otherwise it is `inconclusive`, with
its reason, by the three rules below (fixed before any run was looked at, the same for every study):
- not converged (`still_rising`): the dense runs a claim rests on (the models it prunes, or the dense reference
  trained alike) still gain more than CONVERGENCE_POINTS of held-out (validation, never test) accuracy over their
  last CONVERGENCE_WINDOW epochs, as the mean over their seeds. CONVERGENCE_POINTS is the smallest margin a claim
  test here decides on (003's 0.5 point): a run still gaining that much would move the compared accuracies by as
  much as the margin within as many more epochs. Two epochs, not one, so that one noisy epoch neither hides nor
  fakes a rise; a run of fewer epochs than the window is compared with its untrained start (epoch 0).
- inside a noise floor: the effect a claim asserts is no larger than what a control without the cause produces
  (a second dense population for PIE; the seed-to-seed spread of a paired gap); decided in each claim's test.
- too few seeds (`too_few_seeds`): a test that weighs an effect against its seed spread needs MIN_SEEDS seeds (one
  seed has no spread: the test would reduce to its fixed margin).
A claim whose runs failed is `not tested` (that comes first); a claim only published numbers speak to is `reported`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import pandas as pd

from prunebench.atomic import write_csv, write_text
from prunebench.tables import blank_if_finished, write_table


STATUSES = ("holds", "does not hold", "inconclusive", "not tested", "reported")  # the `holds` column of a claims file
CLAIM_COLUMNS = ("claim_id", "document", "test", "observed", "holds", "reason")  # a claims file's columns, in order

CONVERGENCE_WINDOW = 2  # epochs: see the module docstring
CONVERGENCE_POINTS = 0.5  # held-out accuracy points gained over the window above which a run has not converged
MIN_SEEDS = 2  # seeds a test with a seed spread needs


@dataclass(frozen=True)
class Claim:
    claim_id: str
    document: str  # the finding as the document states it
    test: str  # how it is decided here, thresholds included
    observed: str
    holds: bool | None  # None: not testable with this config (e.g. the needed k is not in the sweep)
    reported_only: bool = False  # only the document's (or its sources') published numbers can speak to it: no verdict
    inconclusive: str = ""  # why the evidence cannot carry a verdict (the rules above); `holds` is what the test read

    def __post_init__(self):
        if self.reported_only and self.holds is not None:
            raise ValueError(f"{self.claim_id}: a claim only the published numbers speak to has no verdict here")

    @property
    def status(self) -> str:
        if self.reported_only:
            return STATUSES[4]
        if self.holds is None:
            return STATUSES[3]
        if self.inconclusive:
            return STATUSES[2]
        return STATUSES[0] if self.holds else STATUSES[1]

    @property
    def reason(self) -> str:
        """Why an inconclusive claim is (and what its test alone read); blank for every other status."""
        if self.status != STATUSES[2]:
            return ""
        return f"{self.inconclusive} (the test alone reads: {STATUSES[0] if self.holds else STATUSES[1]})"


def still_rising(histories: list[pd.DataFrame], what: str) -> str:
    """The not-converged rule on dense training histories (columns epoch, val_accuracy as a fraction): the reason, or
    "" when their seed-mean gain over the last CONVERGENCE_WINDOW epochs is at most CONVERGENCE_POINTS."""
    if not histories:
        return ""
    gains = []
    for history in histories:
        accuracy = 100 * history.sort_values("epoch")["val_accuracy"].to_numpy()
        gain = accuracy[-1] - accuracy[max(0, len(accuracy) - 1 - CONVERGENCE_WINDOW)]
        if math.isfinite(gain):  # a failed run (its claims are not tested) does not count
            gains.append(gain)
    if not gains:
        return ""
    gain = sum(gains) / len(gains)
    if gain <= CONVERGENCE_POINTS:
        return ""
    return (
        f"not converged: {what} still gain {gain:.2f} points of validation accuracy over their last "
        f"{CONVERGENCE_WINDOW} epochs (mean of {len(gains)} seed{'s' if len(gains) > 1 else ''}; "
        f"the rule: at most {CONVERGENCE_POINTS:g})"
    )


def still_rising_by_group(histories: dict[str, list[pd.DataFrame]], what: str) -> str:
    """`still_rising` for each group of runs (`what` names them, with {} for the group): the reasons joined."""
    return "; ".join(r for group, runs in histories.items() if (r := still_rising(runs, what.format(group))))


def too_few_seeds(seeds: int, what: str, needed: int = MIN_SEEDS) -> str:
    """The seed rule: the reason, or "" when `seeds` suffice."""
    return "" if seeds >= needed else f"too few seeds: {what} has {seeds}, the test needs {needed}"


def read_histories(groups: list[str], paths: list[str]) -> dict[str, list[pd.DataFrame]]:
    """Training histories (history.csv) by group (e.g. "dataset/model"), one per seed, from parallel lists."""
    histories: dict[str, list[pd.DataFrame]] = {}
    for group, path in zip(groups, paths, strict=True):
        histories.setdefault(group, []).append(pd.read_csv(path))
    return histories


def apply_rules(
    claims: list[Claim], histories: dict[str, list[pd.DataFrame]], seeds: int, spread_claims
) -> list[Claim]:
    """A study's claims, every one resting on its dense runs (`histories`, by group): inconclusive where a group
    still learns (`still_rising`), and those in `spread_claims` (their test weighs the seed spread) where the study
    has fewer than MIN_SEEDS `seeds`."""
    rising = still_rising_by_group(histories, "the dense {} runs")
    few = too_few_seeds(seeds, "the study")
    return [inconclusive_if(c, rising, few if c.claim_id in spread_claims else "") for c in claims]


def inconclusive_if(claim: Claim, *reasons: str) -> Claim:
    """`claim` made inconclusive by the non-blank `reasons` (joined); a claim with no verdict keeps its status."""
    reasons = [r for r in dict.fromkeys(reasons) if r]
    if not reasons or claim.holds is None or claim.reported_only:
        return claim
    return replace(claim, inconclusive="; ".join(filter(None, [claim.inconclusive, *reasons])))


def untested_if_failed(claim: Claim, failures: list[str]) -> Claim:
    """A claim decided on runs of which some failed (diverged) is not tested: `observed` gives the reasons instead."""
    if not failures:
        return claim
    return replace(
        claim, holds=None, observed=f"not tested: runs it depends on failed ({'; '.join(dict.fromkeys(failures))})"
    )


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
    frame = pd.DataFrame([asdict(c) for c in claims]).drop(columns=["reported_only", "inconclusive"])
    frame["holds"] = [c.status for c in claims]
    frame["reason"] = [c.reason for c in claims]
    write_table(frame[list(CLAIM_COLUMNS)], csv_path, markdown_path, title=title)


def collect_claims(claims_files: dict[str, str]) -> pd.DataFrame:
    """Every study's claims in one table ({study: its <id>-claims.csv} -> study, claim_id, document, test, observed,
    holds), in study order, and the count of each status per study."""
    frames = [pd.read_csv(path, keep_default_na=False).assign(study=study) for study, path in claims_files.items()]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["study", *CLAIM_COLUMNS])
    return table[["study", *CLAIM_COLUMNS]]


def status_counts(table: pd.DataFrame) -> pd.DataFrame:
    """study x status: how many claims of each study hold, do not hold, are inconclusive, not tested, reported."""
    counts = pd.crosstab(table["study"], table["holds"]).reindex(columns=list(STATUSES), fill_value=0)
    return counts.reindex(list(dict.fromkeys(table["study"]))).reset_index()


def write_claims_page(table: pd.DataFrame, csv_path, markdown_path) -> None:
    """results/claims.{csv,md}: every claim of every study; the Markdown page opens with the status counts."""
    write_csv(csv_path, table)
    counts = status_counts(table).to_markdown(index=False)
    claims = table.to_markdown(index=False)
    write_text(markdown_path, f"# Claims of every study\n\n{counts}\n\n{claims}\n")
