from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import build_model
from prunebench.provenance import provenance
from prunebench.pruning import Variant
from prunebench.pruning.during_training import TrainingPlan, achieved_sparsity, training_sparsifier
from prunebench.training import TrainConfig, evaluate, record_failures, train, training_images

params = snakemake.params
variant = Variant(**params.prune)
with job_log(snakemake.log[0]) as log:
    seed_everything(params.seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    spec = {**params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec).to(device())
    config = TrainConfig.from_dict(params.train)
    plan = TrainingPlan(len(training_images(data, config)[1]), config.epochs, config.batch_size)
    sparsifier = training_sparsifier(model, variant, 0.0, params.seed, plan)  # the strength sets the sparsity
    failures = record_failures(snakemake.config)
    result = train(model, data, config, params.seed, stage="sparse", sparsifier=sparsifier, record_divergence=failures)
    model = sparsifier.export(result.model)
    achieved = achieved_sparsity(result.masks)
    log.info("candidate %s on seed %d: achieved sparsity %.4f", variant.params, params.seed, achieved)
    val = evaluate(model, data.val_x, data.val_y)
    record = {"metrics": {"params": variant.params, "achieved_sparsity": achieved, "val": val}}
    if result.failed:
        record["failed"] = result.failed
    config = {"model": spec, "train": params.train, "prune": variant.as_dict()}
    write_json(snakemake.output.metrics, {**record, "provenance": provenance(config, params.seed, data.checksum())})
