import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.weight_vs_unit.figures import training_curves

with job_log(snakemake.log[0]):
    histories = {seed: pd.read_csv(path) for seed, path in zip(snakemake.params.seeds, snakemake.input.histories)}
    save_figure(training_curves(histories), snakemake.output.png, snakemake.output.pdf)
