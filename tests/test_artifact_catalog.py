"""The catalog every study registers (register_study): one list, from the rules' outputs, that the tests read."""

import json
import re

import pandas as pd
import pytest
import yaml

from conftest import ROOT
from prunebench.claims import STATUSES

pytestmark = pytest.mark.workflow

DOCUMENT = {"disentangle": "000", "latent_kl": "001", "ddnp": "002", "review": "003", "weight_vs_unit": "004"}


def test_the_catalog_lists_every_artifact_of_every_enabled_study_and_each_exists(smoke_run):
    results = smoke_run / "results"
    catalog = json.loads((results / "artifacts.json").read_text())
    enabled = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())["studies"]
    assert set(catalog) == set(enabled)
    for study, paths in catalog.items():
        assert f"{study}/{DOCUMENT[study]}-claims.md" in paths
        for path in paths:
            assert path.startswith(f"{study}/{DOCUMENT[study]}-"), path
            assert re.search(r"\.(csv|md|tex|png|pdf)$", path), path
            assert (results / path).stat().st_size > 0, path


def test_the_claims_page_holds_every_claim_of_every_enabled_study(smoke_run):
    results = smoke_run / "results"
    page = pd.read_csv(results / "claims.csv")
    catalog = json.loads((results / "artifacts.json").read_text())
    for study, paths in catalog.items():
        (claims_file,) = [p for p in paths if p.endswith("-claims.csv")]
        own = pd.read_csv(results / claims_file)
        assert list(page[page["study"] == study]["claim_id"]) == list(own["claim_id"])
    assert set(page["holds"]) <= set(STATUSES)
    assert (results / "claims.md").read_text().startswith("# Claims of every study")
