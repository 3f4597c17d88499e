import pandas as pd

from prunebench.claims import write_claims
from prunebench.joblog import job_log
from prunebench.studies.weight_vs_unit.claims import all_claims
from prunebench.studies.weight_vs_unit.tables import collect_evaluations

inputs, params = snakemake.input, snakemake.params
with job_log(snakemake.log[0]):
    claims = all_claims(
        pd.read_csv(inputs.loss_accuracy),
        pd.read_csv(inputs.ks),
        pd.read_csv(inputs.forward_time),
        params.histogram_k,
        collect_evaluations(params.runs, inputs.evaluations),
        [pd.read_csv(path) for path in inputs.histories],
    )
    write_claims(claims, *snakemake.output, title="004 claims: weight vs unit pruning")
