import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.review.claims import all_claims
from prunebench.studies.review.published import load_published

with job_log(snakemake.log[0]):
    claims = all_claims(pd.read_csv(snakemake.input.runs), load_published(snakemake.input.published), snakemake.params.figures)
    write_claims(claims, *snakemake.output, title="003 claims: the State of Sparsity comparison (part 1)")
