import pandas as pd

from prunebench.atomic import write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import build_model, save_checkpoint
from prunebench.provenance import provenance
from prunebench.training import TrainConfig, evaluate, record_failures, split_images, train
from prunebench.training.failure import unmeasured

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    spec = {**snakemake.params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec).to(device())
    config = TrainConfig.from_dict(snakemake.params.train)
    result = train(model, data, config, seed, stage="dense", record_divergence=record_failures(snakemake.config))
    save_checkpoint(snakemake.output.model, result.model, spec, failed=result.failed)
    write_csv(snakemake.output.history, pd.DataFrame(result.history))
    splits = {split: evaluate(result.model, *split_images(data, split, config)) for split in ("train", "val", "test")}
    write_json(
        snakemake.output.metrics,
        {
            "metrics": {
                "selected_epoch": result.selected_epoch,
                "train_images": len(split_images(data, "train", config)[1]),
                **({split: unmeasured(metrics) for split, metrics in splits.items()} if result.failed else splits),
            },
            **({"failed": result.failed} if result.failed else {}),
            "provenance": provenance({"model": spec, "train": snakemake.params.train}, seed, data.checksum()),
        },
    )
