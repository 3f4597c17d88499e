from prunebench.claims import collect_claims, write_claims_page
from prunebench.claims_html import write_claims_html
from prunebench.joblog import job_log

with job_log(snakemake.log[0]):
    table = collect_claims(snakemake.params.claims_files)
    write_claims_page(table, snakemake.output.csv, snakemake.output.md)
    write_claims_html(table, snakemake.output.html)
