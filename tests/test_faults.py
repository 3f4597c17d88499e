"""Reliability under faults: a killed run resumes, a config change reruns only what depends on it, damaged files and
user errors are named, a diverging run is a recorded failure."""

import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import torch
import yaml

from conftest import ROOT, snakemake
from prunebench.data import PreparedData
from prunebench.training import TrainConfig, TrainingDiverged, train

RUN = "weight_vs_unit/runs/digits/mlp/seed0"  # the smoke config's 004 run: one of the smallest trainings
EVALUATION = f"{RUN}/weight/sparsity0.5/evaluation.json"


def job_counts(output: str) -> dict[str, int]:
    """Snakemake's "Job stats" table of a run or dry run: rule -> jobs (without the total)."""
    table = output[output.index("Job stats:") :]
    rows = re.findall(r"^(\w+)\s+(\d+)$", table[: table.index("\ntotal")], re.MULTILINE)
    return {rule: int(count) for rule, count in rows}


def records(results: Path, under: str) -> dict[str, bytes]:
    """The metrics under `results/under` as test_workflow.metric_files defines them: each JSON record without its
    provenance and timing, and each history.csv, by relative path."""
    files = {}
    for path in sorted((results / under).rglob("*.json")):
        record = {k: v for k, v in json.loads(path.read_text()).items() if k not in ("provenance", "timing")}
        files[str(path.relative_to(results))] = json.dumps(record, sort_keys=True).encode()
    for path in sorted((results / under).rglob("history.csv")):
        files[str(path.relative_to(results))] = path.read_bytes()
    return files


def write_config(path: Path, change) -> Path:
    """configs/smoke.yaml with `change(config)` applied, written to `path`."""
    config = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


# --- a killed run ---------------------------------------------------------------------------------------------------


@pytest.mark.workflow
def test_a_run_killed_during_training_resumes_with_the_readme_steps(smoke_run, tmp_path):
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--cores",
        "2",
        "--configfile",
        "configs/smoke.yaml",
        "--config",
        f"results={tmp_path}/results",
        f"logs={tmp_path}/logs",
        "--",
        f"{tmp_path}/results/{EVALUATION}",
    ]
    training_log = tmp_path / "logs" / RUN / "dense.log"  # opened by the training job itself
    running = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 600
    while not training_log.exists() and running.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.poll() is None, "the workflow ended before its training job started"
    os.killpg(running.pid, signal.SIGKILL)  # Snakemake and every job it runs
    running.wait()
    prepared = tmp_path / "results/data/digits.pt"
    prepared_mtime = prepared.stat().st_mtime_ns
    assert not (tmp_path / "results" / RUN / "dense/model.pt").exists()

    args = ["--", f"{tmp_path}/results/{EVALUATION}"]  # the command above, as conftest.snakemake runs it
    locked = snakemake(tmp_path, *args, check=False)
    assert locked.returncode != 0 and "--unlock" in locked.stdout + locked.stderr
    # docs/reproducibility.md: after a killed run, `--unlock`, then the same command.
    snakemake(tmp_path, "--unlock", *args)
    resumed = snakemake(tmp_path, *args)

    assert job_counts(resumed.stdout + resumed.stderr) == {"train_dense": 1, "prune_evaluate": 1}
    assert prepared.stat().st_mtime_ns == prepared_mtime, "the finished data preparation was redone"
    resumed_records = records(tmp_path / "results", RUN)
    assert len(resumed_records) == 4  # dense metrics and history, prune stats, evaluation
    assert resumed_records == {
        path: record for path, record in records(smoke_run / "results", RUN).items() if path in resumed_records
    }


# --- a changed config ------------------------------------------------------------------------------------------------


@pytest.mark.workflow
def test_changing_one_variant_reruns_only_the_jobs_downstream_of_it(smoke_run, tmp_path):
    def global_weight_pruning(config):
        config["studies"]["weight_vs_unit"]["prune"]["variants"]["weight"]["scope"] = "global"

    changed = write_config(tmp_path / "changed.yaml", global_weight_pruning)
    done = snakemake(smoke_run, "--configfile", str(changed), "--dry-run")
    counts = job_counts(done.stdout + done.stderr)

    study = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())["studies"]["weight_vs_unit"]
    protocols = study["protocols"]
    weight_runs = len(study["seeds"]) * len(study["prune"]["sparsities"]) + len(protocols["changes"]) * len(
        protocols["seeds"]
    ) * len(protocols["sparsities"])
    assert counts.pop("prune_evaluate") == weight_runs, "one pruning per (protocol, seed, k) of the changed variant"
    # 003-F1 draws the rule graph of the run's config: its params are the whole config, so any change redraws it.
    assert counts.pop("rv_procedure") == 1
    assert set(counts) <= {
        "wvu_forward_latency",
        "wvu_tables",
        "wvu_metrics_against_k",
        "wvu_magnitude_histograms",
        "wvu_forward_time",
        "wvu_protocol_table",
        "wvu_protocol_figure",
        "wvu_claims",
        "artifact_catalog",
        "claims_page",
        "run_times",
        "all",
    }, "only 004's jobs after pruning, and the pages collecting every study"
    assert all(count == 1 for count in counts.values())
    print(
        f"jobs rerun after changing one variant: {weight_runs} prune_evaluate + {sum(counts.values())}"
        " of 004 and the pages + 003-F1"
    )


# --- damaged files ---------------------------------------------------------------------------------------------------


def damage(path: Path) -> None:
    """Overwrite the middle of a file, keeping its size and modification time (as a disk error would)."""
    stat = path.stat()
    with open(path, "r+b") as f:
        f.seek(stat.st_size // 2)
        f.write(b"\0" * min(4096, stat.st_size // 4))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.workflow
def test_a_damaged_checkpoint_or_dataset_is_named_and_nothing_else_is_deleted(smoke_run, tmp_path):
    results = tmp_path / "results"
    for part in ("data/digits.pt", f"{RUN}/dense/model.pt", f"{RUN}/dense/history.csv", f"{RUN}/dense/metrics.json"):
        (results / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(smoke_run / "results" / part, results / part)  # the data first: the older file stays older
    masks, checkpoint, data = (
        results / RUN / "weight/sparsity0.5/masks.pt",
        results / RUN / "dense/model.pt",
        results / "data/digits.pt",
    )

    damage(checkpoint)
    failed = snakemake(tmp_path, "--", str(masks), check=False)
    assert failed.returncode != 0
    log = (tmp_path / "logs" / RUN / "weight/sparsity0.5/prune_evaluate.log").read_text()
    assert f"{checkpoint} is damaged and cannot be read" in log and "Delete this file" in log
    assert "Traceback" in log  # the log keeps the details; the message above leads them
    assert checkpoint.exists() and data.exists() and not masks.exists()

    shutil.copy2(smoke_run / "results" / RUN / "dense/model.pt", checkpoint)
    damage(data)
    failed = snakemake(tmp_path, "--", str(masks.with_name("evaluation.json")), check=False)
    assert failed.returncode != 0
    assert job_counts(failed.stdout + failed.stderr) == {"prune_evaluate": 1}, "the damaged data is not silently remade"
    assert (
        f"{data} is damaged and cannot be read"
        in (tmp_path / "logs" / RUN / "weight/sparsity0.5/prune_evaluate.log").read_text()
    )
    assert checkpoint.exists() and data.exists()


# --- errors a user causes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda c: c["data"].update(bogus_key=1),
            "config key data: Additional properties are not allowed ('bogus_key' was unexpected)",
        ),
        (
            lambda c: c["data"].update(data_dir="/nowhere/datasets"),
            "config key data.data_dir: '/nowhere/datasets' is not a folder",
        ),
    ],
    ids=["unknown key", "missing data folder"],
)
def test_a_user_error_prints_the_named_error_and_what_to_do_without_a_traceback(tmp_path, change, message):
    config = write_config(tmp_path / "bad.yaml", change)
    done = snakemake(tmp_path, "--configfile", str(config), "--dry-run", check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert output.count("prunebench: ") == 1 and message in output
    assert f"Nothing was run. Fix the key(s) named above in your config ({config}" in output
    assert "Traceback" not in output and 'File "' not in output
    assert not (tmp_path / "results").exists()


# --- divergence ------------------------------------------------------------------------------------------------------


def random_data(n=120, classes=3):
    generator = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (3 * n, 1, 8, 8), dtype=torch.uint8, generator=generator)
    y = torch.randint(0, classes, (3 * n,), generator=generator)
    return PreparedData(
        x[:n], y[:n], x[n : 2 * n], y[n : 2 * n], x[2 * n :], y[2 * n :], [str(c) for c in range(classes)], "random"
    )


def test_a_diverging_training_stops_and_says_where(one_thread, small_mlp):
    data = random_data()
    diverging = TrainConfig(epochs=3, batch_size=20, optimizer="sgd", lr=1e6)
    start = {name: p.clone() for name, p in small_mlp.state_dict().items()}
    with pytest.raises(
        TrainingDiverged, match=r"dense training: non-finite loss at epoch 1, step \d+ \(config strict: true"
    ):
        train(small_mlp, data, diverging, seed=0, stage="dense")

    small_mlp.load_state_dict(start)
    result = train(small_mlp, data, diverging, seed=0, stage="dense", record_divergence=True)
    assert re.fullmatch(r"dense training: non-finite loss at epoch 1, step \d+", result.failed)
    assert result.selected_epoch == 0 and len(result.history) == 1, "only the epochs before the divergence count"
    assert all(torch.equal(result.model.state_dict()[name], value) for name, value in start.items())

    small_mlp.load_state_dict(start)
    assert (
        train(
            small_mlp, data, TrainConfig(epochs=1, batch_size=20, optimizer="sgd", lr=0.01), seed=0, stage="dense"
        ).failed
        is None
    )


@pytest.mark.workflow
def test_a_diverging_run_is_a_failed_result_in_the_tables_and_claims_unless_strict(smoke_run, tmp_path):
    def diverging_004(config):
        study = config["studies"]["weight_vs_unit"]
        study["train"].update(optimizer="sgd", lr=1.0e6)  # the dense MLP's loss overflows within a few steps
        study["prune"]["sparsities"] = [0, 0.9]  # the fewest points 004's claims are computed on
        study["histogram_sparsity"] = 0.9
        del study["protocols"]  # 004-B3's own trainings: optional, not what this test is about

    config = write_config(tmp_path / "diverging.yaml", diverging_004)
    strict = write_config(tmp_path / "strict.yaml", lambda c: (diverging_004(c), c.update(strict=True)))
    results = tmp_path / "results"
    (results / "data").mkdir(parents=True)
    shutil.copy2(smoke_run / "results/data/digits.pt", results / "data")  # the smoke run's prepared data: one job less
    dense_metrics, claims = results / RUN / "dense/metrics.json", results / "weight_vs_unit/004-claims.csv"

    stopped = snakemake(tmp_path, "--configfile", str(strict), "--", str(dense_metrics), check=False)
    assert stopped.returncode != 0 and not dense_metrics.exists()
    assert (
        "TrainingDiverged: dense training: non-finite loss at epoch"
        in (tmp_path / "logs" / RUN / "dense.log").read_text()
    )

    snakemake(tmp_path, "--configfile", str(config), "--", str(claims))
    record = json.loads(dense_metrics.read_text())
    reason = record["failed"]
    assert re.fullmatch(r"dense training: non-finite loss at epoch \d+, step \d+", reason)
    assert math.isnan(record["metrics"]["test"]["accuracy"])
    table = pd.read_csv(results / "weight_vs_unit/004-T1_loss_accuracy_vs_k.csv")
    assert (table["failed"] == reason).all() and table["test_accuracy_mean"].isna().all()
    assert (table["nonzero_parameters"] > 0).all(), "what does not depend on the training is still measured"
    verdicts = pd.read_csv(claims).set_index("claim_id")
    decided_on_training = [f"004-C{i}" for i in range(1, 6)]
    assert (verdicts.loc[decided_on_training, "holds"] == "not tested").all()
    assert verdicts.loc[decided_on_training, "observed"].str.contains(reason, regex=False).all()
    assert verdicts.loc["004-C6", "holds"] != "not tested", "the forward timing does not depend on the training"
