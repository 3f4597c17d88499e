from prunebench.atomic import save_torch, write_json
from prunebench.data import load_prepared
from prunebench.determinism import seed_everything
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint, save_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import load_masks
from prunebench.pruning.iterative import level_masks
from prunebench.studies.review.retrain import retrain
from prunebench.training import record_failures

seed, level, params = int(snakemake.wildcards.seed), int(snakemake.wildcards.level), snakemake.params
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    previous, _ = load_checkpoint(snakemake.input.model)
    kept = load_masks(snakemake.input.masks) if "masks" in snakemake.input.keys() else None
    masks = level_masks(previous, kept, params.rate, level, params.scope, params.layers, params.output_rate_factor)
    rewind, spec = load_checkpoint(snakemake.input.rewind)
    failed_before = checkpoint_failure(snakemake.input.model) or checkpoint_failure(snakemake.input.rewind)
    model, masks, metrics, failed = retrain(
        "rewind", masks, rewind, spec, data, params.train, seed, record_failures(snakemake.config), failed_before
    )
    log.info("%s level %d: %s", snakemake.wildcards.schedule, level, metrics)
    save_torch(snakemake.output.masks, masks)
    save_checkpoint(snakemake.output.model, model, spec, failed=failed)
    config = {
        "schedule": snakemake.wildcards.schedule,
        "level": level,
        "rate": params.rate,
        "scope": params.scope,
        "layers": params.layers,
        "output_rate_factor": params.output_rate_factor,
        "train": params.train,
    }
    write_json(
        snakemake.output.metrics,
        {
            "metrics": metrics,
            **({"failed": failed} if failed else {}),
            "provenance": provenance(config, seed, data.checksum()),
        },
    )
