import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.review.figures import accuracy_against_sparsity

out, models = snakemake.output, snakemake.params.figures
four = ["magnitude", "variational_dropout", "l0", "random"]
with job_log(snakemake.log[0]):
    runs, dense = pd.read_csv(snakemake.input.runs), pd.read_csv(snakemake.input.dense)
    save_figure(
        accuracy_against_sparsity(runs, dense, models["F3"], four, "003-F3 (the document's Transformer comparison)"),
        out.f3,
        out.f3_pdf,
    )
    save_figure(
        accuracy_against_sparsity(runs, dense, models["F4"], four, "003-F4 (the document's ResNet-50 comparison)"),
        out.f4,
        out.f4_pdf,
    )
    save_figure(
        accuracy_against_sparsity(
            runs,
            dense,
            models["F5"],
            ["magnitude", "extended_magnitude", "variational_dropout", "random"],
            "003-F5: extended magnitude pruning (1.5x the steps)",
        ),
        out.f5,
        out.f5_pdf,
    )
