import pandas as pd

from prunebench.atomic import write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.metrics import cost_record
from prunebench.models import checkpoint_failure, load_checkpoint, save_checkpoint
from prunebench.provenance import provenance
from prunebench.studies.disentangle.protocol import headless_phase, split_metrics, warn_if_collapsed
from prunebench.training import TrainConfig, record_failures
from prunebench.training.failure import unmeasured

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    model, spec = load_checkpoint(snakemake.input.model, device())
    train_cfg = TrainConfig.from_dict(snakemake.params.train)
    result, spec = headless_phase(
        model, spec, data, train_cfg, seed, snakemake.params.keep_kl, record_failures(snakemake.config)
    )
    failed = checkpoint_failure(snakemake.input.model) or result.failed  # the first phase's failure carries on
    save_checkpoint(snakemake.output.model, result.model, spec, failed=failed)
    write_csv(snakemake.output.history, pd.DataFrame(result.history))
    splits = split_metrics(result.model, data, train_cfg)
    metrics = {
        **({split: unmeasured(m) for split, m in splits.items()} if failed else splits),
        "cost": cost_record(result.model, data.input_shape),
    }
    warn_if_collapsed(
        metrics["test"]["accuracy"], data.num_classes, f"{snakemake.wildcards.model} seed {seed} (unpruned)"
    )
    config = {
        "model": spec,
        "train": snakemake.params.train,
        "keep_kl": snakemake.params.keep_kl,
        **dict(snakemake.wildcards.items()),
    }
    write_json(
        snakemake.output.evaluation,
        {
            "metrics": metrics,
            **({"failed": failed} if failed else {}),
            "provenance": provenance(config, seed, data.checksum()),
        },
    )
