from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.evaluation import evaluation_record
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint
from prunebench.pruning import Variant, apply_masks
from prunebench.pruning.prune_stage import prune_trained
from prunebench.training import TrainConfig

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    model, spec = load_checkpoint(snakemake.input.model)
    masks = prune_trained(
        Variant(**snakemake.params.prune),
        model,
        spec,
        float(snakemake.wildcards.target),
        seed,
        data,
        (snakemake.output.masks, snakemake.output.stats),
        log,
    )
    model = apply_masks(model.to(device()), masks)
    record = evaluation_record(
        model,
        masks,
        data,
        TrainConfig.from_dict(snakemake.params.trained_on),
        checkpoint_failure(snakemake.input.model),
        {"model": spec, **dict(snakemake.wildcards.items())},
        seed,
    )
    write_json(snakemake.output.metrics, record)
