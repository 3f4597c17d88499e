import subprocess
import sys
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


def snakemake(out: Path, *args, check=True, configfile="configs/smoke.yaml"):
    """Run the workflow from the repository root with results and logs under `out`."""
    command = [
        sys.executable, "-m", "snakemake", "--cores", "2", "--configfile", configfile,
        "--config", f"results={out}/results", f"logs={out}/logs", *args,
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1500)
    if check and done.returncode != 0:
        raise AssertionError(f"snakemake failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    return done


@pytest.fixture(scope="session")
def smoke_run(tmp_path_factory):
    """configs/smoke.yaml run once for the whole session: every study's artifacts under <tmp>/results."""
    out = tmp_path_factory.mktemp("smoke")
    snakemake(out)
    return out
