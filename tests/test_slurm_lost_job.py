"""A lost Slurm job: on the session's single-node Slurm (conftest.slurm), 004's dense MLP training is cancelled with
scancel while it runs. With profiles/slurm's `retries`, Snakemake submits it again with the next attempt's resources,
the run completes, and the training's metrics and history equal an undisturbed local run's byte for byte (its weights
tensor for tensor). docs/cluster.md, "A lost job"."""

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
import yaml
from conftest import ROOT, SLURM_PROFILES, snakemake, snakemake_command
from slurm.cluster import jobs, new_jobs

from prunebench.atomic import load_torch

pytestmark = pytest.mark.workflow

PROFILE = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
RULE = "train_dense"
TRAINING = "weight_vs_unit/runs/digits/mlp/seed0/dense"
OUTPUTS = ("model.pt", "history.csv", "metrics.json")
# A guard against a hung run, not a measurement: the run takes well under a minute (docs/cluster.md).
TIMEOUT_S = 900
ACTIVE = ("PENDING", "CONFIGURING", "RUNNING", "COMPLETING")


def profile_memory_mb(attempt):
    """profiles/slurm's mem_mb for RULE at `attempt`: an expression in `attempt`, evaluated as Snakemake does."""
    return eval(PROFILE["set-resources"][RULE]["mem_mb"], {"attempt": attempt})


@dataclass
class LostJobRun:
    out: Path
    returncode: int
    output: str  # Snakemake's log
    lost: str  # the Slurm job id that was cancelled
    jobs: dict  # the run's Slurm jobs (slurm.cluster.jobs)


def wait_for(condition, what, run):
    """Poll `condition` until it returns something; fail if Snakemake exits first or after TIMEOUT_S."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        if run.poll() is not None:
            raise AssertionError(f"snakemake exited with {run.returncode} before {what}")
        time.sleep(0.2)
    raise AssertionError(f"timed out after {TIMEOUT_S} s waiting for {what}")


@pytest.fixture(scope="module")
def lost_job_run(slurm, tmp_path_factory):
    if slurm.cluster is None:
        pytest.skip(f"no Slurm: {slurm.unavailable}")
    cluster = slurm.cluster
    node_mb = int(
        subprocess.run(
            ["sinfo", "--noheader", "--format=%m"], env=cluster.env, capture_output=True, text=True, check=True
        ).stdout.split()[0]
    )
    if node_mb < profile_memory_mb(2):
        pytest.skip(f"the test node has {node_mb} MB: the retry of {RULE} asks for {profile_memory_mb(2)} MB")
    out = tmp_path_factory.mktemp("lost_job")
    before = jobs(cluster)
    command = snakemake_command(
        out,
        *SLURM_PROFILES,
        "--retries",
        str(PROFILE["retries"]),  # tests/slurm/profile's 0 replaced by the real profile's
        "--slurm-logdir",
        str(out / "slurm_logs"),
        "--slurm-keep-successful-logs",
        targets=[str(out / "results" / TRAINING / "metrics.json")],
    )

    def training_mid_run():
        """The RULE job, RUNNING, once its Snakemake under srun has started the rule (the line in its Slurm log)."""
        for job, row in new_jobs(cluster, before).items():
            if row["comment"].startswith(f"rule_{RULE}_") and row["state"] == "RUNNING":
                logs = list((out / "slurm_logs" / f"rule_{RULE}").rglob(f"{job}.log"))
                if logs and f"localrule {RULE}:" in logs[0].read_text(errors="replace"):
                    return job
        return None

    log = out / "snakemake.log"
    with open(log, "w") as stream:
        run = subprocess.Popen(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT, env=cluster.env)
    try:
        lost = wait_for(training_mid_run, f"a {RULE} job running its rule", run)
        subprocess.run(["scancel", lost], env=cluster.env, check=True)
        returncode = run.wait(timeout=TIMEOUT_S)
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
        left = [job for job, row in new_jobs(cluster, before).items() if row["state"] in ACTIVE]
        if left:
            subprocess.run(["scancel", *left], env=cluster.env, check=True)
    return LostJobRun(out, returncode, log.read_text(), lost, new_jobs(cluster, before))


def test_the_run_completes(lost_job_run):
    assert lost_job_run.returncode == 0, lost_job_run.output[-4000:]


def test_the_cancelled_job_was_submitted_again_with_the_next_attempts_resources(lost_job_run):
    comment = lost_job_run.jobs[lost_job_run.lost]["comment"]
    training = {job: row for job, row in lost_job_run.jobs.items() if row["comment"] == comment}
    assert {job: row["state"] for job, row in training.items()} == {
        lost_job_run.lost: "CANCELLED",
        **{job: "COMPLETED" for job in training if job != lost_job_run.lost},
    }
    assert len(training) == 2, training
    retry = max(training, key=int)
    assert [row["memory"] for row in (training[lost_job_run.lost], training[retry])] == [
        f"{profile_memory_mb(1)}M",
        f"{profile_memory_mb(2)}M",
    ]
    # Snakemake's side: the same job restarted and submitted twice, as these two Slurm jobs.
    assert f"SLURM-job '{lost_job_run.lost}' failed, SLURM status is: 'CANCELLED'" in lost_job_run.output
    submitted = re.findall(r"Job (\d+) has been submitted with SLURM jobid (\d+)", lost_job_run.output)
    restarted = re.findall(r"Trying to restart job (\d+)\.", lost_job_run.output)
    assert [slurm_job for _, slurm_job in submitted] == [lost_job_run.lost, retry]
    assert len({snakemake_job for snakemake_job, _ in submitted}) == 1
    assert restarted == [submitted[0][0]]


def test_the_retried_training_equals_an_undisturbed_run_and_left_nothing_else(lost_job_run, tmp_path):
    snakemake(tmp_path, targets=[str(tmp_path / "results" / TRAINING / "metrics.json")])
    retried, undisturbed = lost_job_run.out / "results" / TRAINING, tmp_path / "results" / TRAINING
    assert sorted(path.name for path in retried.iterdir()) == sorted(OUTPUTS)
    for name in ("metrics.json", "history.csv"):
        assert (retried / name).read_bytes() == (undisturbed / name).read_bytes(), name
    # model.pt is not bytewise reproducible (torch.save names its records after the temporary file it writes): its
    # contents are compared instead.
    retried_model, undisturbed_model = (load_torch(folder / "model.pt") for folder in (retried, undisturbed))
    assert retried_model["spec"] == undisturbed_model["spec"]
    assert retried_model["state_dict"].keys() == undisturbed_model["state_dict"].keys()
    for name, weights in retried_model["state_dict"].items():
        assert torch.equal(weights, undisturbed_model["state_dict"][name]), name
