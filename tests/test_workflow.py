"""End to end: configs/smoke.yaml through the real Snakemake workflow."""

import json
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from conftest import ROOT, metric_paths, snakemake
from prunebench.claims import STATUSES
from prunebench.run_times import job_times

STUDY = "weight_vs_unit"

pytestmark = pytest.mark.workflow


def metric_files(results: Path) -> dict[str, bytes]:
    """Every metric a run computes that must not vary between runs (conftest.metric_paths; timings excluded: a
    record's `timing` section)."""
    files = {}
    for path in metric_paths(results):
        name = str(path.relative_to(results))
        if path.suffix == ".json":
            record = {k: v for k, v in json.loads(path.read_text()).items() if k not in ("provenance", "timing")}
            files[name] = json.dumps(record, sort_keys=True).encode()
        else:
            files[name] = path.read_bytes()
    return files


def test_every_004_artifact_is_produced_and_well_formed(smoke_run):
    study = smoke_run / "results" / STUDY
    table = pd.read_csv(study / "004-T1_loss_accuracy_vs_k.csv")
    assert set(table["variant"]) == {"weight", "unit"}
    assert sorted(set(table["k_percent"])) == [0, 50, 90]
    assert {
        "test_loss_mean",
        "test_accuracy_mean",
        "val_accuracy_mean",
        "nonzero_parameters",
        "size_gzip_bytes",
    } <= set(table.columns)
    assert table["test_accuracy_mean"].between(0, 1).all()
    dense = table[table["k_percent"] == 0]
    assert dense["test_accuracy_mean"].nunique() == 1, "k = 0 is the dense model for both variants"
    assert (table.groupby("variant")["nonzero_parameters"].apply(lambda s: s.is_monotonic_decreasing)).all()

    ks = pd.read_csv(study / "004-B1_elimination_ks.csv")
    assert (ks[ks["variant"] == "weight"]["ks_statistic"] > 0.99).all()
    assert len(ks) == 2 * 2 * 4  # variants x nonzero k x pruned layers

    times = pd.read_csv(study / "004-B2_forward_time.csv")
    assert set(times["execution"]) == {"dense", "coo", "csr", "shrunk"}
    assert (times["median_ms"] > 0).all()

    protocols = pd.read_csv(study / "004-B3_protocol_choices.csv")
    assert list(dict.fromkeys(protocols["protocol"])) == ["default", "glorot_uniform", "epochs4_last"]
    assert len(protocols) == 3 * 1 * 2 * 2  # protocols x seeds x variants x (k = 0, 90)
    settings = protocols.drop_duplicates("protocol").set_index("protocol")
    assert list(settings["init"]) == ["pytorch", "glorot_uniform", "pytorch"]
    assert list(settings["epochs"]) == [3, 3, 4]
    assert list(settings["select"]) == ["best_val_loss", "best_val_loss", "last"]
    assert settings.loc["epochs4_last", "selected_epoch"] == 4
    default = protocols[protocols["protocol"] == "default"].set_index(["variant", "k_percent"])["test_accuracy"]
    assert (
        default.to_dict()
        == table.set_index(["variant", "k_percent"])["test_accuracy_mean"].loc[default.index].to_dict()
    )
    dense = protocols[protocols["k_percent"] == 0].drop_duplicates("protocol")["test_accuracy"]
    assert dense.nunique() == 3, "each protocol trains a model of its own"

    claims = pd.read_csv(study / "004-claims.csv")
    assert list(claims["claim_id"]) == [f"004-C{i}" for i in range(1, 7)]
    assert set(claims["holds"]) <= set(STATUSES)

    for name in (
        "F1_training_curves",
        "F2_weight_pruning",
        "F3_unit_pruning",
        "F4_magnitude_histograms",
        "F5_forward_time",
        "B3_protocol_choices",
    ):
        with Image.open(study / f"004-{name}.png") as image:
            image.verify()
            assert min(image.size) > 200
        assert (study / f"004-{name}.pdf").read_bytes().startswith(b"%PDF")
    for name in (
        "004-T1_loss_accuracy_vs_k",
        "004-B1_elimination_ks",
        "004-B2_forward_time",
        "004-B3_protocol_choices",
        "004-claims",
    ):
        assert (study / f"{name}.md").read_text().count("\n|") >= 3


def test_every_job_writes_a_log_and_metrics_carry_provenance(smoke_run):
    logs = list((smoke_run / "logs" / STUDY).rglob("*.log"))
    # train (the default protocol and the two changed ones of 004-B3), prune_evaluate (6 + 2 changed protocols x 2
    # variants x 1 k), latency, study rules
    assert len(logs) == 3 + 10 + 1 + 8
    assert (smoke_run / "logs" / "data" / "digits.log").exists()
    evaluation = next((smoke_run / "results").rglob("evaluation.json"))
    provenance = json.loads(evaluation.read_text())["provenance"]
    assert {"config", "seed", "git_commit", "torch", "data_checksum"} <= set(provenance)
    assert len(provenance["data_checksum"]) == 64


def test_every_job_leaves_a_benchmark_record_summed_per_rule_and_study(smoke_run):
    jobs = job_times(smoke_run / "logs")
    logs = [path for path in (smoke_run / "logs").rglob("*.log") if "benchmarks" not in path.parts]
    assert len(jobs) == len(logs)
    assert (jobs["startup_s"] > 0).all() and (jobs["startup_s"] <= jobs["wall_s"]).all()
    # Snakemake samples a job's process: a job of a fraction of a second may show no CPU time yet
    assert (jobs["cpu_s"] >= 0).all() and jobs["cpu_s"].sum() > 0 and (jobs["max_rss_mb"] > 0).all()
    per_rule = pd.read_csv(smoke_run / "results" / "run_times.csv")
    summed = jobs[jobs["rule"] != "run_times"]  # the summary's own record is written when it has finished
    assert set(per_rule["rule"]) == set(summed["rule"]) and per_rule["jobs"].sum() == len(summed) == len(jobs) - 1
    assert {"weight_vs_unit", "data", "workflow"} <= set(per_rule["study"])
    assert "## Per study" in (smoke_run / "results" / "run_times.md").read_text()
    assert Image.open(smoke_run / "results" / "run_times.png").size[0] > 0


def test_a_second_run_has_nothing_to_do(smoke_run):
    done = snakemake(smoke_run, "--dry-run")
    assert "Nothing to be done" in done.stdout + done.stderr


def test_a_fresh_run_gives_bitwise_identical_metrics(smoke_run, fresh_run):
    """The fresh run sends 004's default MLP run through Slurm where a cluster can be started (conftest.fresh_run):
    equal metrics then also show that profiles/slurm computes exactly what a local run does."""
    assert metric_files(fresh_run.out / "results") == metric_files(smoke_run / "results")


def test_a_bad_config_touches_nothing_already_computed(smoke_run, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in (smoke_run / "results").rglob("*") if p.is_file()}
    bad = (ROOT / "configs/smoke.yaml").read_text().replace("sparsities: [0, 0.5, 0.9]", "sparsities: [0, 0.5, 1.5]")
    (tmp_path / "bad.yaml").write_text(bad)
    done = snakemake(smoke_run, "--configfile", str(tmp_path / "bad.yaml"), check=False)
    assert done.returncode != 0
    assert (
        "config key studies.weight_vs_unit.prune.sparsities.2: 1.5 is greater than or equal to the maximum of 1"
        in done.stdout + done.stderr
    )
    assert {p: p.stat().st_mtime_ns for p in (smoke_run / "results").rglob("*") if p.is_file()} == before


def test_a_bad_config_fails_before_any_job_naming_the_key(tmp_path):
    bad = (ROOT / "configs/smoke.yaml").read_text().replace("epochs: 3", "epochs: -1")
    (tmp_path / "bad.yaml").write_text(bad)
    done = snakemake(tmp_path, "--configfile", str(tmp_path / "bad.yaml"), check=False)
    assert done.returncode != 0
    assert (
        "config key studies.weight_vs_unit.train.epochs: -1 is less than the minimum of 0" in done.stdout + done.stderr
    )
    assert not (tmp_path / "results").exists()
