from prunebench.data import load_prepared
from prunebench.joblog import job_log
from prunebench.models import load_checkpoint
from prunebench.pruning import Variant
from prunebench.pruning.prune_stage import prune_trained

with job_log(snakemake.log[0]) as log:
    model, spec = load_checkpoint(snakemake.input.model)
    prune_trained(
        Variant(**snakemake.params.prune),
        model,
        spec,
        float(snakemake.wildcards.target),
        int(snakemake.wildcards.seed),
        load_prepared(snakemake.input.data) if "data" in snakemake.input.keys() else None,
        (snakemake.output.masks, snakemake.output.stats),
        log,
    )
