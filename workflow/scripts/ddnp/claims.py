import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.ddnp.claims import all_claims

with job_log(snakemake.log[0]):
    write_claims(all_claims(pd.read_csv(snakemake.input.table)), *snakemake.output, title="002 claims: DDNP channel pruning")
