from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import build_model, save_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning.iterative import RewindPoint, rewound
from prunebench.training import TrainConfig, evaluate, train

seed, params = int(snakemake.wildcards.seed), snakemake.params
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    spec = {**params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec).to(device())
    point = RewindPoint(params.rewind_step)
    result = train(model, data, TrainConfig.from_dict(params.train), seed, stage="dense", sparsifier=point)
    save_checkpoint(snakemake.output.model, result.model, spec)
    save_checkpoint(snakemake.output.rewind, rewound(build_model(**spec), point.saved(), {}), spec)
    metrics = {split: evaluate(result.model, getattr(data, f"{split}_x"), getattr(data, f"{split}_y")) for split in ("val", "test")}
    write_json(snakemake.output.metrics, {"metrics": metrics, "provenance": provenance({"model": spec, "train": params.train, "rewind_step": params.rewind_step}, seed, data.checksum())})
