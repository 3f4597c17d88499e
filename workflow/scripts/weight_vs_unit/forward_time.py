import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.weight_vs_unit.figures import forward_time_against_k

with job_log(snakemake.log[0]):
    table = pd.read_csv(snakemake.input.table)
    save_figure(forward_time_against_k(table, snakemake.params.batch_size), snakemake.output.png, snakemake.output.pdf)
