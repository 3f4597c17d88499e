import pandas as pd

from prunebench.claims import read_histories, write_claims
from prunebench.joblog import job_log
from prunebench.studies.review.claims import all_claims
from prunebench.studies.review.claims_part2 import part2_claims
from prunebench.studies.review.published import load_published

with job_log(snakemake.log[0]):
    inp, params = snakemake.input, snakemake.params
    dense = read_histories(params.dense_models, inp.dense_histories)
    histories = {
        "tickets": read_histories(params.ticket_lrs, inp.ticket_histories),
        "scratch": dense.get(params.scratch_model, []),
        "pie": [pd.read_csv(path) for path in inp.pie_histories],
    }
    claims = all_claims(pd.read_csv(inp.runs), load_published(inp.published), params.figures, dense)
    claims += part2_claims(pd.read_csv(inp.tickets), pd.read_csv(inp.scratch), pd.read_csv(inp.pie_counts), histories)
    write_claims(
        claims,
        *snakemake.output,
        title="003 claims: the State of Sparsity comparison (part 1); lottery tickets, scratch training, PIE (part 2)",
    )
