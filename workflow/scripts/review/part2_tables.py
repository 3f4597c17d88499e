import pandas as pd

from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.studies.review.tickets import collect_scratch, collect_tickets, scratch_table, tickets_table
from prunebench.tables import write_table

inp, out, params = snakemake.input, snakemake.output, snakemake.params
with job_log(snakemake.log[0]):
    tickets = collect_tickets(params.tickets, inp.levels, inp.controls, params.dense, inp.dense)
    write_csv(out.tickets, tickets)
    write_table(
        tickets_table(tickets), *out.f2, title="003-F2: winning ticket vs random re-initialization (test accuracy %)"
    )
    scratch = collect_scratch(
        pd.read_csv(inp.runs), params.scratch_model, params.scratch_variant, params.scratch, inp.retrained
    )
    write_csv(out.scratch, scratch)
    write_table(
        scratch_table(scratch),
        *out.f6,
        title="003-F6: magnitude pruning vs scratch-E / scratch-B vs lottery ticket (test accuracy %)",
    )
