import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from prunebench.models import build_model

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def one_thread():
    """Small networks: one thread is fastest, and does not stall on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture
def small_mlp():
    torch.manual_seed(0)
    return build_model("mlp", (1, 8, 8), 10, hidden=[40, 30, 20])


def snakemake_command(out: Path, *args, configfile="configs/smoke.yaml", targets=()) -> list[str]:
    """The command line that runs the workflow, from the repository root, with results and logs under `out`
    (`targets`: files to build, all by default)."""
    return [
        sys.executable,
        "-m",
        "snakemake",
        *targets,
        "--cores",
        "2",
        "--configfile",
        configfile,
        "--config",
        f"results={out}/results",
        f"logs={out}/logs",
        *args,
    ]


def snakemake(out: Path, *args, check=True, configfile="configs/smoke.yaml", env=None, targets=()):
    """Run `snakemake_command` and wait for it."""
    command = snakemake_command(out, *args, configfile=configfile, targets=targets)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1500, env=env)
    if check and done.returncode != 0:
        raise AssertionError(f"snakemake failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """configs/smoke.yaml run once for the whole session: every study's artifacts under <tmp>/results."""
    out = tmp_path_factory.mktemp("smoke")
    snakemake(out)
    return out


@dataclass
class FreshRun:
    """The second smoke run: `slurm_targets` through Slurm when a cluster could be started (`slurm_unavailable` is
    None), the rest locally."""

    out: Path
    slurm_unavailable: str | None
    slurm_output: str = ""  # Snakemake's output of the Slurm part
    slurm_states: dict | None = None  # Slurm job id -> its state, from squeue at the end of the Slurm part


SLURM_PROFILES = ("--profile", "profiles/slurm", "--profile", "tests/slurm/profile")


# Files of a run that must not vary between runs (test_workflow.metric_files): each job's metrics and histories, and the
# 004 tables computed from them; not the figures, the other tables or the catalog (written from these).
METRIC_PATTERNS = ("**/*.json", "**/history.csv")
METRIC_TABLES = tuple(
    f"weight_vs_unit/{name}"
    for name in ("004-T1_loss_accuracy_vs_k.csv", "004-B1_elimination_ks.csv", "004-B3_protocol_choices.csv")
)
CATALOG = "artifacts.json"


def metric_paths(results: Path) -> list[Path]:
    found = {path for pattern in METRIC_PATTERNS for path in results.glob(pattern)} | {
        results / name for name in METRIC_TABLES
    }
    return sorted(path for path in found if path.relative_to(results).as_posix() != CATALOG)


def slurm_targets(results: Path):
    """What goes through Slurm: part of 004's default MLP run (its dense training, then weight pruning at k = 50% and
    90%: 2 prune_evaluate jobs, a job array; 3 Slurm jobs). Each Slurm job costs two Snakemake
    start-ups, ~7 s more than a local job on 2 cores (docs/cluster.md): more of the smoke DAG that
    way would not fit the suite's time."""
    run = results / "weight_vs_unit/runs/digits/mlp/seed0"
    return [str(run / "weight" / f"sparsity{k}" / "evaluation.json") for k in ("0.5", "0.9")]


@dataclass
class Slurm:
    """The session's single-node Slurm (tests/slurm/cluster.py), or why it cannot be started here."""

    cluster: object | None  # slurm.cluster.Cluster
    unavailable: str | None


@pytest.fixture(scope="session")
def slurm():
    """One cluster for every Slurm run of the session, started when the first needs it and stopped (its jobs
    cancelled, its daemons ended by pid) at the session's end. Each run tells its own jobs from the others' by the
    Slurm job ids that are new since it started (`slurm.cluster.new_jobs`)."""
    from slurm.cluster import SlurmUnavailable, start_cluster

    try:
        cluster = start_cluster()
    except SlurmUnavailable as reason:
        yield Slurm(None, str(reason))
        return
    try:
        yield Slurm(cluster, None)
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def fresh_run(tmp_path_factory, smoke_run, slurm):
    """configs/smoke.yaml once more into a fresh folder, building the session run's `metric_paths` (~170 of its 200
    jobs): `slurm_targets` through `--profile profiles/slurm` on the session's single-node Slurm (`slurm`), then the
    rest locally; all of it locally, with the reason, where Slurm cannot start. Its metrics must equal the session
    run's (test_workflow.py): determinism and Slurm equality in one run."""
    from slurm.cluster import job_states, new_jobs

    out = tmp_path_factory.mktemp("fresh")
    session_results = smoke_run / "results"
    targets = [str(out / "results" / path.relative_to(session_results)) for path in metric_paths(session_results)]
    if slurm.cluster is None:
        snakemake(out, targets=targets)
        return FreshRun(out, slurm_unavailable=slurm.unavailable)
    before = job_states(slurm.cluster)
    done = snakemake(
        out,
        *SLURM_PROFILES,
        "--slurm-logdir",
        str(out / "slurm_logs"),
        "--slurm-keep-successful-logs",
        targets=slurm_targets(out / "results"),
        env=slurm.cluster.env,
    )
    states = {job: row["state"] for job, row in new_jobs(slurm.cluster, before).items()}
    snakemake(out, targets=targets)
    return FreshRun(out, None, done.stdout + done.stderr, states)
