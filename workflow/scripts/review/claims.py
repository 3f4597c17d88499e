import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.review.claims import all_claims
from prunebench.studies.review.claims_part2 import part2_claims
from prunebench.studies.review.published import load_published

with job_log(snakemake.log[0]):
    inp = snakemake.input
    claims = all_claims(pd.read_csv(inp.runs), load_published(inp.published), snakemake.params.figures)
    claims += part2_claims(pd.read_csv(inp.tickets), pd.read_csv(inp.scratch), pd.read_csv(inp.pie_counts))
    write_claims(claims, *snakemake.output, title="003 claims: the State of Sparsity comparison (part 1); lottery tickets, scratch training, PIE (part 2)")
