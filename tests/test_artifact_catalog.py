"""The catalog every study registers (register_study): one list, from the rules' outputs, that the tests read."""
import json
import re

import pytest
import yaml

from conftest import ROOT

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
