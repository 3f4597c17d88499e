"""The paper check: configs/paper.yaml's whole DAG run on CPU, with only its sizes shrunk (overlay.py) and its data
replaced by tiny files in the real formats (data.py). Fails when any job fails; lists the rules planned and executed.

    PYTHONPATH=tests python -m paper_check.run [--out results/paper-check] [--cores N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from paper_check.data import write_data, write_weights
from paper_check.overlay import write_overlay

ROOT = Path(__file__).resolve().parents[2]
PAPER = ROOT / "configs" / "paper.yaml"
STATS = re.compile(r"^(\w+)\s+(\d+)$", re.MULTILINE)
STARTED = re.compile(r"^(?:local)?rule (\w+):$", re.MULTILINE)


def prepare(out: Path) -> tuple[Path, dict]:
    """Data, weights and overlay under `out`, written once; (overlay path, environment of the Snakemake runs)."""
    data, home = out / "data", out / "home"
    if not data.exists():
        write_data(data, data / "imagenet")
        write_weights(home, yaml.safe_load(PAPER.read_text()))
    overlay = write_overlay(PAPER, out / "overlay.yaml", data, data / "imagenet")
    # `~` in the paper's weights paths is this home; no GPU, so that the CPU code paths run wherever the check does.
    env = {**os.environ, "HOME": str(home), "CUDA_VISIBLE_DEVICES": ""}
    return overlay, env


def snakemake(overlay: Path, out: Path, env: dict, *args: str, log=None) -> subprocess.CompletedProcess:
    """Snakemake on the paper config and the overlay; its output captured, or written to the file `log`."""
    command = [
        sys.executable,
        "-m",
        "snakemake",
        "--configfile",
        str(PAPER),
        str(overlay),
        "--config",
        f"results={out}/results",
        f"logs={out}/logs",
        *args,
    ]
    output = {"stdout": log, "stderr": subprocess.STDOUT} if log else {"capture_output": True}
    return subprocess.run(command, cwd=ROOT, env=env, text=True, **output)


def planned_rules(overlay: Path, out: Path, env: dict) -> dict[str, int]:
    """rule -> jobs of the whole DAG (everything forced, so that a rerun plans what a fresh run does)."""
    done = snakemake(overlay, out, env, "-n", "--forceall", "--quiet", "rules")
    if done.returncode != 0:
        sys.exit(f"paper check: the DAG was not built\n{done.stdout}{done.stderr}")
    stats = done.stdout + done.stderr
    table = stats[stats.index("Job stats:") :]
    return {rule: int(n) for rule, n in STATS.findall(table) if rule != "total"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "paper-check")
    parser.add_argument("--cores", type=int, default=os.cpu_count())
    parser.add_argument("--fresh", action="store_true", help="delete --out first (else finished jobs are kept)")
    parser.add_argument("targets", nargs="*", help="Snakemake targets (default: the paper config's `all`)")
    args = parser.parse_args()
    out = args.out.resolve()
    if args.fresh and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    overlay, env = prepare(out)
    planned = planned_rules(overlay, out, env)
    print(f"paper check: {sum(planned.values())} jobs of {len(planned)} rules planned, in {out}", flush=True)
    log = out / "snakemake.log"
    with open(log, "w") as f:  # followed live with `tail -f`
        run = ("--cores", str(args.cores), "--keep-going", *args.targets)
        returncode = snakemake(overlay, out, env, *run, log=f).returncode
    text = log.read_text()
    executed = set(STARTED.findall(text))
    for rule in sorted(planned):
        print(f"  {'executed' if rule in executed else 'NOT run ':8}  {rule} ({planned[rule]} jobs)")
    print(f"paper check: {len(executed & set(planned))} of {len(planned)} rules executed in this run")
    if returncode != 0:
        errors = [line for line in text.splitlines() if "Error in rule" in line or line.strip().startswith("log:")]
        errors = "\n".join(errors or text.splitlines()[-10:])
        print(f"paper check FAILED (Snakemake exit {returncode}; {log}):\n{errors}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
