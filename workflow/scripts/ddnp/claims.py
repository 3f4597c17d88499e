import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.ddnp.claims import all_claims

inputs = snakemake.input
with job_log(snakemake.log[0]):
    curves = pd.read_csv(inputs.curves) if "curves" in inputs.keys() else None
    write_claims(all_claims(pd.read_csv(inputs.table), curves), *snakemake.output, title="002 claims: DDNP channel pruning")
