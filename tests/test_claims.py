"""The shared claim record and the claims page that gathers every study's claims."""
import pandas as pd
import pytest

from prunebench.claims import STATUSES, Claim, collect_claims, status_counts


def test_a_claim_only_published_numbers_speak_to_is_reported_and_has_no_verdict():
    assert Claim("X-C1", "d", "t", "o", None, reported_only=True).status == "reported"
    assert Claim("X-C2", "d", "t", "o", False).status == "does not hold"
    with pytest.raises(ValueError, match="X-C3"):
        Claim("X-C3", "d", "t", "o", True, reported_only=True)


def test_status_counts_cover_every_status_of_every_study(tmp_path):
    rows = {"a": [("A-C1", "holds"), ("A-C2", "reported")], "b": [("B-C1", "does not hold")]}
    files = {}
    for study, claims in rows.items():
        frame = pd.DataFrame([{"claim_id": c, "document": "d", "test": "t", "observed": "o", "holds": h} for c, h in claims])
        files[study] = tmp_path / f"{study}.csv"
        frame.to_csv(files[study], index=False)
    counts = status_counts(collect_claims(files)).set_index("study")
    assert list(counts.columns) == list(STATUSES)
    assert counts.loc["a"].tolist() == [1, 0, 0, 1] and counts.loc["b"].tolist() == [0, 1, 0, 0]
