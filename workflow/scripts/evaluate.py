from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.metrics import cost_record
from prunebench.models import load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import apply_masks, load_masks
from prunebench.training import evaluate

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    model, spec = load_checkpoint(snakemake.input.model, device())
    apply_masks(model, load_masks(snakemake.input.masks))
    metrics = {
        "test": evaluate(model, data.test_x, data.test_y),
        "val": evaluate(model, data.val_x, data.val_y),
        "train": evaluate(model, data.train_x, data.train_y),
        "cost": cost_record(model, data.input_shape),
    }
    write_json(
        snakemake.output.metrics,
        {"metrics": metrics, "provenance": provenance({"model": spec, **dict(snakemake.wildcards.items())}, seed, data.checksum())},
    )
