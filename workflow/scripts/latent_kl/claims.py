import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.latent_kl.claims import all_claims

with job_log(snakemake.log[0]):
    claims = all_claims(pd.read_csv(snakemake.input.summary), pd.read_csv(snakemake.input.rank))
    write_claims(claims, *snakemake.output, title="001 claims: AP2 / AP3 against the performance difference")
