from prunebench.atomic import load_torch, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import build_model, checkpoint_failure, load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import apply_masks, load_masks
from prunebench.studies.disentangle.protocol import latent_mig
from prunebench.training.failure import unmeasured

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    factors = load_torch(snakemake.input.factors)
    failed = None
    if "model" in snakemake.input.keys():
        model, spec = load_checkpoint(snakemake.input.model, device())
        failed = checkpoint_failure(snakemake.input.model)
    else:  # the untrained encoder: the dense run's initial weights, built as train_dense builds them
        spec = {**snakemake.params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
        model = build_model(**spec).to(device())
    if "masks" in snakemake.input.keys():
        apply_masks(model, load_masks(snakemake.input.masks))
    metrics = latent_mig(model, data.test_x, factors["test"], factors["names"], snakemake.params.bins)
    log.info("MIG %.4f, per factor %s", metrics["mig"], metrics["per_factor"])
    if failed:
        metrics = {"mig": unmeasured(metrics)["mig"], "per_factor": unmeasured(metrics["per_factor"])}
    config = {"model": spec, "bins": snakemake.params.bins, **dict(snakemake.wildcards.items())}
    write_json(
        snakemake.output.metrics,
        {
            "metrics": metrics,
            **({"failed": failed} if failed else {}),
            "provenance": provenance(config, seed, data.checksum()),
        },
    )
