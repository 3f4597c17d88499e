import pandas as pd

from prunebench.atomic import save_torch, write_csv
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint, save_checkpoint
from prunebench.pruning import Variant, load_masks, variant_sparsifier
from prunebench.training import TrainConfig, record_failures, train
from prunebench.training.snapshots import WeightSnapshots

params = snakemake.params.finetune
seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    model, spec = load_checkpoint(snakemake.input.model, device())
    masks = load_masks(snakemake.input.masks)
    sparsifier = variant_sparsifier(masks, Variant(**snakemake.params.prune), float(snakemake.wildcards.target), seed)
    config = TrainConfig.from_dict(params)
    snapshots = WeightSnapshots(list(masks) if config.snapshots else [])
    result = train(
        model,
        data,
        config,
        seed,
        stage="finetune",
        sparsifier=sparsifier,
        on_epoch_end=snapshots,
        record_divergence=record_failures(snakemake.config),
    )
    log.info("selected epoch %d; %d mask updates", result.selected_epoch, sparsifier.updates)
    save_checkpoint(
        snakemake.output.model, result.model, spec, failed=checkpoint_failure(snakemake.input.model) or result.failed
    )
    save_torch(snakemake.output.masks, result.masks)
    write_csv(snakemake.output.history, pd.DataFrame(result.history))
    save_torch(snakemake.output.snapshots, snapshots.weights)
