from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.metrics import cost_record, slimmed_latency
from prunebench.models import checkpoint_failure, load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import apply_masks, load_masks
from prunebench.training import TrainConfig, evaluate, split_images
from prunebench.training.failure import unmeasured

seed = int(snakemake.wildcards.seed)
trained_on = TrainConfig.from_dict(snakemake.params.trained_on)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    model, spec = load_checkpoint(snakemake.input.model, device())
    masks = load_masks(snakemake.input.masks)
    apply_masks(model, masks)
    failed = checkpoint_failure(snakemake.input.model)
    splits = {split: evaluate(model, *split_images(data, split, trained_on)) for split in ("test", "val", "train")}
    metrics = {
        **({split: unmeasured(split_metrics) for split, split_metrics in splits.items()} if failed else splits),
        "train_images": len(split_images(data, "train", trained_on)[1]),
        "cost": cost_record(model, data.input_shape, masks),
    }
    write_json(
        snakemake.output.metrics,
        {
            "metrics": metrics,
            **({"failed": failed} if failed else {}),
            "timing": {"latency": slimmed_latency(model, data.input_shape, masks)},  # not bitwise reproducible
            "provenance": provenance({"model": spec, **dict(snakemake.wildcards.items())}, seed, data.checksum()),
        },
    )
