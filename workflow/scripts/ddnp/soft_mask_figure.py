from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.ddnp.figures import soft_against_binary_mask

with job_log(snakemake.log[0]):
    save_figure(soft_against_binary_mask(), snakemake.output.png, snakemake.output.pdf)
