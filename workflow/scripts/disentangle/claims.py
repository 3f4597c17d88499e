import pandas as pd

from prunebench.claims import apply_rules, read_histories, write_claims
from prunebench.joblog import job_log
from prunebench.studies.disentangle.claims import SPREAD_CLAIMS, all_claims

with job_log(snakemake.log[0]):
    mig = pd.read_csv(snakemake.input.mig) if "mig" in snakemake.input.keys() else None
    claims = all_claims(pd.read_csv(snakemake.input.table), mig)
    histories = read_histories(snakemake.params.history_groups, snakemake.input.histories)
    claims = apply_rules(claims, histories, len(snakemake.params.seeds), SPREAD_CLAIMS)
    write_claims(claims, *snakemake.output, title="000 claims: disentanglement and pruning")
