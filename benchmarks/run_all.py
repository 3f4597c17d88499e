"""Runs the benchmarks and writes benchmarks/results.{csv,md} (quoted by docs/benchmarks.md).

python benchmarks/run_all.py            micro-benchmarks + no-op rerun of results/ (brought up to date first)
python benchmarks/run_all.py --full     micro-benchmarks + each study of the default config from scratch + no-op rerun
python benchmarks/run_all.py --full --keep DIR     the same, keeping the default run's results and logs in DIR
python benchmarks/run_all.py --only NAME [NAME ...]  these micro-benchmarks alone, their rows replaced in the results
"""

from __future__ import annotations

import argparse
import platform
import sys
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import (  # noqa: E402
    ap3_student_t,
    deploy_latency,
    folder_decode,
    paper_cost,
    paper_dag,
    search_epoch,
    slimming,
    sparse_cost,
    sparse_forward,
    train_step,
    workflow_runs,
)
from prunebench.tables import write_table  # noqa: E402

OUT = Path(__file__).resolve().parent / "results"
MICRO = {
    module.__name__.rsplit(".", 1)[1]: module
    for module in (
        train_step,
        sparse_forward,
        sparse_cost,
        slimming,
        deploy_latency,
        ap3_student_t,
        search_epoch,
        folder_decode,
        paper_dag,
        paper_cost,
    )
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true", help="also time the default workflow from scratch")
    parser.add_argument(
        "--keep", help="with --full: run the default workflow into this new folder and keep its results"
    )
    parser.add_argument("--only", nargs="+", choices=sorted(MICRO), help="run these micro-benchmarks alone")
    args = parser.parse_args()
    machine = (  # the default thread count, before a benchmark sets its own
        f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}"
    )
    if args.only:
        results = [result for name in args.only for result in MICRO[name].run()]
    else:
        workflow = workflow_runs.full_run(args.keep) if args.full else workflow_runs.noop_rerun()
        results = [*(result for module in MICRO.values() for result in module.run()), *workflow]
    frame = pd.DataFrame([asdict(r) for r in results])
    frame["met"] = [{True: "yes", False: "no", None: ""}[m] for m in frame["met"]]
    if args.only:
        kept = pd.read_csv(OUT.with_suffix(".csv"), keep_default_na=False)
        frame = pd.concat([kept[~kept["benchmark"].isin(frame["benchmark"])], frame], ignore_index=True)
    write_table(frame, OUT.with_suffix(".csv"), OUT.with_suffix(".md"), title=f"Benchmarks ({machine})")
    print(frame.to_string(index=False))


if __name__ == "__main__":
    main()
