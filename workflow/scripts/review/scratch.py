import pandas as pd

from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.review.tickets import collect_scratch, scratch_table
from prunebench.studies.review.tickets_figures import scratch_figure
from prunebench.tables import write_table

inp, out, params = snakemake.input, snakemake.output, snakemake.params
with job_log(snakemake.log[0]):
    scratch = collect_scratch(pd.read_csv(inp.runs), params.model, params.variant, params.scratch, inp.retrained)
    write_csv(out.scratch, scratch)
    write_table(
        scratch_table(scratch),
        *out.table,
        title="003-F6: magnitude pruning vs scratch-E / scratch-B vs lottery ticket (test accuracy %)",
    )
    save_figure(scratch_figure(scratch, params.model), out.png, out.pdf)
