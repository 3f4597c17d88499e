import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.review.tickets_figures import scratch_figure, winning_ticket_figure

out, params = snakemake.output, snakemake.params
with job_log(snakemake.log[0]):
    model = params.tickets["model"]["arch"]
    save_figure(winning_ticket_figure(pd.read_csv(snakemake.input.tickets), model), out.f2, out.f2_pdf)
    save_figure(scratch_figure(pd.read_csv(snakemake.input.scratch), params.scratch_model), out.f6, out.f6_pdf)
