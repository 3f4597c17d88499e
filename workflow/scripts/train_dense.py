import pandas as pd

from prunebench.atomic import write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import build_model, save_checkpoint
from prunebench.provenance import provenance
from prunebench.training import TrainConfig, evaluate, train

seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    generator = seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    spec = {**snakemake.params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec).to(device())
    config = TrainConfig.from_dict(snakemake.params.train)
    model, history = train(model, data, config, generator)
    selected = history[-1] if config.select == "last" else min(history, key=lambda row: row["val_loss"])
    save_checkpoint(snakemake.output.model, model, spec)
    write_csv(snakemake.output.history, pd.DataFrame(history))
    write_json(
        snakemake.output.metrics,
        {
            "metrics": {
                "selected_epoch": selected["epoch"],
                **{split: evaluate(model, getattr(data, f"{split}_x"), getattr(data, f"{split}_y")) for split in ("train", "val", "test")},
            },
            "provenance": provenance({"model": spec, "train": snakemake.params.train}, seed, data.checksum()),
        },
    )
