import json

import pandas as pd
import torch

from prunebench.atomic import write_csv, write_json
from prunebench.determinism import seed_everything
from prunebench.joblog import job_log
from prunebench.provenance import provenance
from prunebench.studies.latent_kl.divergences import run_divergences

inputs, params = snakemake.input, snakemake.params
seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    dense_state = torch.load(inputs.model, map_location="cpu", weights_only=True)["state_dict"]
    with open(inputs.metrics) as f:
        dense_metrics = json.load(f)["metrics"]
    pruned = [
        (variant, sparsity, pd.read_csv(history), torch.load(snapshots, map_location="cpu", weights_only=True))
        for (variant, sparsity), history, snapshots in zip(params.pruned, inputs.histories, inputs.snapshots, strict=True)
    ]
    divergence = params.divergence
    table = run_divergences(dense_state, dense_metrics, pruned, divergence["ap3_gaussian"], divergence["ap3_student_t"], seed)
    write_csv(snakemake.output.table, table)
    write_json(
        snakemake.output.record,
        {
            "values": table.to_dict(orient="records"),
            "provenance": provenance({"divergence": divergence, **dict(snakemake.wildcards.items())}, seed),
        },
    )
