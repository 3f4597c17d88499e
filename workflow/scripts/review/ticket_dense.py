import pandas as pd

from prunebench.atomic import write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import build_model, save_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning.iterative import RewindPoint, rewound
from prunebench.training import TrainConfig, evaluate, record_failures, train
from prunebench.training.failure import unmeasured

seed, params = int(snakemake.wildcards.seed), snakemake.params
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    spec = {**params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec).to(device())
    point = RewindPoint(params.rewind_step)
    result = train(
        model,
        data,
        TrainConfig.from_dict(params.train),
        seed,
        stage="dense",
        sparsifier=point,
        record_divergence=record_failures(snakemake.config),
    )
    save_checkpoint(snakemake.output.model, result.model, spec, failed=result.failed)
    write_csv(snakemake.output.history, pd.DataFrame(result.history))
    # A failed run may stop before its rewind step (or pass it with non-finite weights): its tickets, failed too,
    # start from the weights it kept.
    rewind_state = {k: v.cpu() for k, v in result.model.state_dict().items()} if result.failed else point.saved()
    save_checkpoint(snakemake.output.rewind, rewound(build_model(**spec), rewind_state, {}), spec, failed=result.failed)
    splits = {
        split: evaluate(result.model, getattr(data, f"{split}_x"), getattr(data, f"{split}_y"))
        for split in ("val", "test")
    }
    metrics = {split: unmeasured(m) for split, m in splits.items()} if result.failed else splits
    config = {"model": spec, "train": params.train, "rewind_step": params.rewind_step}
    write_json(
        snakemake.output.metrics,
        {
            "metrics": metrics,
            **({"failed": result.failed} if result.failed else {}),
            "provenance": provenance(config, seed, data.checksum()),
        },
    )
