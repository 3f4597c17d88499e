import pandas as pd

from prunebench.atomic import write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.metrics import cost_record
from prunebench.models import load_checkpoint, save_checkpoint
from prunebench.provenance import provenance
from prunebench.studies.disentangle.protocol import headless_phase, split_metrics, warn_if_collapsed
from prunebench.training import TrainConfig

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    model, spec = load_checkpoint(snakemake.input.model, device())
    train_cfg = TrainConfig.from_dict(snakemake.params.train)
    model, spec, history = headless_phase(model, spec, data, train_cfg, seed, snakemake.params.keep_kl)
    save_checkpoint(snakemake.output.model, model, spec)
    write_csv(snakemake.output.history, pd.DataFrame(history))
    metrics = {**split_metrics(model, data, train_cfg), "cost": cost_record(model, data.input_shape)}
    warn_if_collapsed(metrics["test"]["accuracy"], data.num_classes, f"{snakemake.wildcards.model} seed {seed} (unpruned)")
    config = {"model": spec, "train": snakemake.params.train, "keep_kl": snakemake.params.keep_kl, **dict(snakemake.wildcards.items())}
    write_json(snakemake.output.evaluation, {"metrics": metrics, "provenance": provenance(config, seed, data.checksum())})
