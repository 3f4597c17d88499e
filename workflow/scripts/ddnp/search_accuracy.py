from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.ddnp.figures import search_accuracy
from prunebench.studies.ddnp.search_results import search_curves

with job_log(snakemake.log[0]):
    curves = search_curves(snakemake.params.runs, snakemake.input.histories)
    write_csv(snakemake.output.csv, curves)
    save_figure(search_accuracy(curves), snakemake.output.png, snakemake.output.pdf)
