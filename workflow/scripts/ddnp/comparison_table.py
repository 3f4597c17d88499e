from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.studies.ddnp.reported import load_reported
from prunebench.studies.ddnp.tables import TABLES, run_rows
from prunebench.tables import write_table

out = snakemake.output
table, title = TABLES[snakemake.params.artifact]
with job_log(snakemake.log[0]):
    rows = run_rows(
        snakemake.params.runs, snakemake.input.dense, snakemake.input.evaluations, snakemake.input.slimmings
    )
    write_csv(out.runs, rows)
    write_table(table(rows, load_reported(snakemake.input.reported)), *out.table, title=title)
