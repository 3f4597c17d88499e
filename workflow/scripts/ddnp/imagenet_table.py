from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.studies.ddnp.reported import load_reported
from prunebench.studies.ddnp.tables import imagenet_table, run_rows
from prunebench.tables import write_table

out = snakemake.output
with job_log(snakemake.log[0]):
    rows = run_rows(snakemake.params.runs, snakemake.input.dense, snakemake.input.evaluations, snakemake.input.slimmings)
    write_csv(out.runs, rows)
    write_table(
        imagenet_table(rows, load_reported(snakemake.input.reported)),
        *out.table,
        title="002-T2: channel pruning on ImageNet, run here (mean and std over seeds) and as reported in the document's Table 2",
    )
