from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.disentangle.figures import mig_figure
from prunebench.studies.disentangle.tables import ACCURACY_POINTS, MIG_POINTS, collect_mig, write_mig_table

with job_log(snakemake.log[0]):
    frame = collect_mig(
        snakemake.params.runs,
        {point: snakemake.input[f"mig_{point}"] for point in MIG_POINTS},
        {point: snakemake.input[f"accuracy_{point}"] for point in ACCURACY_POINTS},
    )
    write_mig_table(
        frame,
        *snakemake.output.table,
        title="000-B1: MIG of the Beta-VAE-Classif latent means and test accuracy at each point of the protocol",
    )
    save_figure(mig_figure(frame), snakemake.output.png, snakemake.output.pdf)
