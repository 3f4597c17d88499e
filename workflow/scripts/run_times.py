from prunebench.joblog import job_log
from prunebench.run_times import write_run_times

with job_log(snakemake.log[0]):
    write_run_times(snakemake.params.logs, snakemake.output.table, snakemake.output.md, snakemake.output.figure)
