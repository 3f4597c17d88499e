from prunebench.claims import collect_claims, write_claims_page
from prunebench.joblog import job_log

with job_log(snakemake.log[0]):
    write_claims_page(collect_claims(snakemake.params.claims_files), *snakemake.output)
