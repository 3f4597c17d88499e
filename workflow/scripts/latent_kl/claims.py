import pandas as pd

from prunebench.claims import apply_rules, read_histories, write_claims
from prunebench.joblog import job_log
from prunebench.studies.latent_kl.claims import all_claims

with job_log(snakemake.log[0]):
    claims = all_claims(pd.read_csv(snakemake.input.summary), pd.read_csv(snakemake.input.rank))
    histories = read_histories(snakemake.params.history_groups, snakemake.input.histories)
    claims = apply_rules(claims, histories, len(snakemake.params.seeds), spread_claims=())  # correlations: no spread
    write_claims(claims, *snakemake.output, title="001 claims: AP2 / AP3 against the performance difference")
