from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.disentangle.figures import mig_figure
from prunebench.studies.disentangle.tables import collect_mig
from prunebench.tables import write_table

with job_log(snakemake.log[0]):
    frame = collect_mig(snakemake.params.runs, snakemake.input.metrics)
    write_table(frame, *snakemake.output.table, title="000-B1: MIG on dSprites and accuracy before/after 50% pruning, per beta and seed")
    save_figure(mig_figure(frame), snakemake.output.png, snakemake.output.pdf)
