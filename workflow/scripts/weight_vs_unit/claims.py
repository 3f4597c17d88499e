import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.weight_vs_unit.claims import all_claims

inputs = snakemake.input
with job_log(snakemake.log[0]):
    claims = all_claims(pd.read_csv(inputs.loss_accuracy), pd.read_csv(inputs.ks), pd.read_csv(inputs.forward_time), snakemake.params.histogram_k)
    write_claims(claims, *snakemake.output, title="004 claims: weight vs unit pruning")
