from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.ddnp.figures import layer_widths
from prunebench.studies.ddnp.search_results import searched_widths

with job_log(snakemake.log[0]):
    widths = searched_widths(snakemake.params.runs, snakemake.input.records)
    write_csv(snakemake.output.csv, widths)
    save_figure(layer_widths(widths), snakemake.output.png, snakemake.output.pdf)
