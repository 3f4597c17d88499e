import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.weight_vs_unit.figures import protocol_choices

with job_log(snakemake.log[0]):
    save_figure(protocol_choices(pd.read_csv(snakemake.input.table)), snakemake.output.png, snakemake.output.pdf)
