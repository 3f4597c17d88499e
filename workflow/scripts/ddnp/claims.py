import pandas as pd

from prunebench.claims import apply_rules, read_histories, write_claims
from prunebench.joblog import job_log
from prunebench.studies.ddnp.claims import SPREAD_CLAIMS, all_claims

inputs = snakemake.input
with job_log(snakemake.log[0]):
    curves = pd.read_csv(inputs.curves) if "curves" in inputs.keys() else None
    claims = all_claims(pd.read_csv(inputs.table), curves)
    histories = read_histories(snakemake.params.history_groups, inputs.histories)
    claims = apply_rules(claims, histories, len(snakemake.params.seeds), SPREAD_CLAIMS)
    write_claims(claims, *snakemake.output, title="002 claims: DDNP channel pruning")
