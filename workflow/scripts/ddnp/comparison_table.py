from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.studies.ddnp.reported import load_reported
from prunebench.studies.ddnp.tables import comparison_table, run_rows
from prunebench.tables import write_table

out = snakemake.output
with job_log(snakemake.log[0]):
    rows = run_rows(snakemake.params.runs, snakemake.input.dense, snakemake.input.evaluations, snakemake.input.slimmings)
    write_csv(out.runs, rows)
    write_table(
        comparison_table(rows, load_reported(snakemake.input.reported)),
        *out.table,
        title="002-T1: channel pruning at a FLOPs budget, run here (mean and std over seeds) and as reported in the document's Table 1 (CIFAR-10)",
    )
