import pandas as pd

from prunebench.joblog import job_log
from prunebench.plots import save_figure
from prunebench.studies.review.figures import published_beside_run
from prunebench.studies.review.published import load_published
from prunebench.tables import write_table

out = snakemake.output
with job_log(snakemake.log[0]):
    published = load_published(snakemake.input.published)
    write_table(
        published,
        *out.table,
        title="003-B2: the published State of Sparsity results (Gale, Elsen & Hooker 2019), as released by the authors",
    )
    runs, dense = pd.read_csv(snakemake.input.runs), pd.read_csv(snakemake.input.dense)
    figure = published_beside_run(
        published,
        runs,
        dense,
        snakemake.params.figures,
        ["magnitude", "variational_dropout", "l0", "random", "extended_magnitude"],
    )
    save_figure(figure, out.png, out.pdf)
