"""configs/converged.yaml (the converged tier; test_config checks it is valid): its DAG builds, every study in it."""

import re
from pathlib import Path

from conftest import snakemake

ROOT = Path(__file__).resolve().parents[1]
CONVERGED = ROOT / "configs/converged.yaml"


def test_the_converged_tier_builds_every_study(tmp_path):
    done = snakemake(tmp_path, "--dry-run", configfile=str(CONVERGED))
    counts = dict(re.findall(r"^(\w+)\s+(\d+)$", done.stdout, re.MULTILINE))
    for claims_rule in ("dis_claims", "kl_claims", "ddnp_claims", "rv_claims", "wvu_claims"):
        assert counts.get(claims_rule) == "1", claims_rule
    assert int(counts["train_sparse"]) > 0 and int(counts["rv_ticket_level"]) > 0
