"""profiles/slurm on a real single-node Slurm: the fresh smoke run (conftest.fresh_run) ran part of 004's MLP run
through it (conftest.slurm_targets), every cluster job as a Slurm job that completed. That its metrics equal a local
run's is test_workflow.py's fresh-run test."""

import re

import pytest

pytestmark = pytest.mark.workflow

# The rules of that part the Snakefile declares local (data preparation) and those that are Slurm jobs.
LOCAL = {"prepare_data"}
CLUSTER = {"train_dense", "prune_evaluate"}


@pytest.fixture(scope="module")
def slurm_run(fresh_run):
    if fresh_run.slurm_unavailable:
        pytest.skip(f"no Slurm: {fresh_run.slurm_unavailable}")
    return fresh_run


def submitted_jobs(output):
    """Snakemake job id -> the Slurm job id it ran as (a job array's task: <array id>_<task>)."""
    jobs = {
        int(job): slurm for job, slurm in re.findall(r"Job (\d+) has been submitted with SLURM jobid (\d+)", output)
    }
    for ids, array, first in re.findall(
        r"Submitted array job with Snakemake IDs ([\d,]+) and SLURM job ID (\d+)\. "
        r"The individual task IDs are (\d+)-",
        output,
    ):
        for task, job in enumerate(ids.split(","), start=int(first)):
            jobs[int(job)] = f"{array}_{task}"
    return jobs


def test_every_cluster_job_ran_as_a_completed_slurm_job_and_local_rules_did_not(slurm_run):
    finished = {
        int(job): rule for job, rule in re.findall(r"Finished jobid: (\d+) \(Rule: (\w+)\)", slurm_run.slurm_output)
    }
    submitted = submitted_jobs(slurm_run.slurm_output)
    assert submitted and set(submitted) <= set(finished)
    assert sorted(submitted.values()) == sorted(slurm_run.slurm_states), "one Slurm job per submitted Snakemake job"
    assert set(slurm_run.slurm_states.values()) == {"COMPLETED"}
    ran_on_slurm = {finished[job] for job in submitted}
    assert CLUSTER <= ran_on_slurm
    assert not LOCAL & ran_on_slurm
    assert LOCAL <= set(finished.values())
    for job, rule in finished.items():
        assert (job in submitted) == (rule in ran_on_slurm), (
            f"job {job} of rule {rule}: Slurm for some, local for others"
        )


def test_each_slurm_job_left_its_log(slurm_run):
    """--slurm-keep-successful-logs: one log per Slurm job (an array task's named <array id>_<task>.log)."""
    logs = {path.stem for path in (slurm_run.out / "slurm_logs").rglob("*.log")}
    assert logs == set(slurm_run.slurm_states)
