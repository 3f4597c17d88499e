import json

import pandas as pd

from prunebench.atomic import write_csv, write_json
from prunebench.joblog import job_log
from prunebench.pruning.during_training.sweep import choose_candidates

targets = snakemake.params.targets
with job_log(snakemake.log[0]) as log:
    records = [json.loads(open(path).read()) for path in snakemake.input.candidates]
    achieved = [None if r.get("failed") else r["metrics"]["achieved_sparsity"] for r in records]
    chosen = choose_candidates(achieved, targets)
    choice = {
        "targets": targets,
        "candidates": [{**r["metrics"], "failed": r.get("failed", "")} for r in records],
        "chosen": [
            {"target": t, "index": i, "params": records[i]["metrics"]["params"]} for t, i in zip(targets, chosen)
        ],
    }
    log.info("chosen: %s", choice["chosen"])
    write_json(snakemake.output.choice, choice)
    rows = [
        {
            **c["params"],
            "achieved_sparsity": c["achieved_sparsity"],
            "val_accuracy": 100 * c["val"]["accuracy"],
            "failed": c["failed"],
            "chosen_for": " ".join(f"{t:g}" for t, i in zip(targets, chosen) if i == k),
        }
        for k, c in enumerate(choice["candidates"])
    ]
    write_csv(snakemake.output.table, pd.DataFrame(rows))
