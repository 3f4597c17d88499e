import os

from prunebench.atomic import write_json
from prunebench.joblog import job_log

with job_log(snakemake.log[0]):
    root = os.path.dirname(snakemake.output[0])  # the results folder: paths are listed relative to it
    write_json(
        snakemake.output[0],
        {study: [os.path.relpath(path, root) for path in paths] for study, paths in snakemake.params.artifacts.items()},
    )
