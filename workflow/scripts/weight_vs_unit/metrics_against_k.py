import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.weight_vs_unit.figures import metrics_against_k

out = snakemake.output
with job_log(snakemake.log[0]):
    table = pd.read_csv(snakemake.input.table)
    save_figure(
        metrics_against_k(table, "weight", "Weight pruning (smallest |w| per layer)"), out.weight_png, out.weight_pdf
    )
    save_figure(
        metrics_against_k(table, "unit", "Unit pruning (smallest-L2 neurons per layer)"), out.unit_png, out.unit_pdf
    )
