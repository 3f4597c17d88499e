from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.review.tickets import collect_tickets, tickets_table
from prunebench.studies.review.tickets_figures import winning_ticket_figure
from prunebench.tables import write_table

inp, out, params = snakemake.input, snakemake.output, snakemake.params
with job_log(snakemake.log[0]):
    tickets = collect_tickets(params.tickets, inp.levels, inp.controls, params.dense, inp.dense)
    write_csv(out.tickets, tickets)
    write_table(
        tickets_table(tickets), *out.table, title="003-F2: winning ticket vs random re-initialization (test accuracy %)"
    )
    save_figure(winning_ticket_figure(tickets, params.model), out.png, out.pdf)
