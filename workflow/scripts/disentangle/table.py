import json

from prunebench.joblog import job_log
from prunebench.studies.disentangle.protocol import warn_if_collapsed
from prunebench.studies.disentangle.tables import collect_runs, table_one, write_table_one

with job_log(snakemake.log[0]):
    runs = []
    for run, info in zip(snakemake.params.runs, snakemake.input.data_info, strict=True):
        with open(info) as f:
            runs.append({**run, "num_classes": len(json.load(f)["classes"])})
    frame = collect_runs(runs, snakemake.input.with_head, snakemake.input.unpruned, snakemake.input.pruned)
    for row in frame.itertuples():
        warn_if_collapsed(
            row.test_accuracy,
            row.num_classes,
            f"{row.dataset} {row.model} seed {row.seed}{' pruned' if row.pruned else ''}",
        )
    write_table_one(
        table_one(frame),
        *snakemake.output.table,
        title="000-T1: accuracy and compression (gzip size of the saved weights)",
    )
