from prunebench.joblog import job_log
from prunebench.studies.weight_vs_unit.tables import protocol_table
from prunebench.tables import write_table

params = snakemake.params
with job_log(snakemake.log[0]):
    table = protocol_table(
        params.runs, snakemake.input.evaluations, params.dense_runs, snakemake.input.dense, params.settings
    )
    write_table(table, *snakemake.output, title="004-B3: test accuracy against k under each protocol choice, per seed")
