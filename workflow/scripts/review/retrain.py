from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import seed_everything
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import load_masks
from prunebench.studies.review.retrain import retrain
from prunebench.training import record_failures

seed, arm, params = int(snakemake.wildcards.seed), snakemake.wildcards.arm, snakemake.params
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    rewind, spec = load_checkpoint(snakemake.input.rewind)
    # the masks come from the trained model `masks_from`: its failure, or the rewind point's, is this run's too
    failed_before = checkpoint_failure(snakemake.input.masks_from) or checkpoint_failure(snakemake.input.rewind)
    masks = load_masks(snakemake.input.masks)
    _, _, metrics, failed = retrain(
        arm,
        masks,
        rewind,
        spec,
        data,
        params.train,
        seed,
        record_failures(snakemake.config),
        failed_before,
        params.reinit_scaling,
        params.scratch_b_max_factor,
    )
    log.info("%s: %s", arm, metrics)
    config = {
        "arm": arm,
        "train": params.train,
        "reinit_scaling": params.reinit_scaling,
        "scratch_b_max_factor": params.scratch_b_max_factor,
    }
    write_json(
        snakemake.output.metrics,
        {
            "metrics": metrics,
            **({"failed": failed} if failed else {}),
            "provenance": provenance(config, seed, data.checksum()),
        },
    )
