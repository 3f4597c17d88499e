import json
import time

import pandas as pd

from prunebench.atomic import save_torch, write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.evaluation import evaluation_record
from prunebench.joblog import job_log
from prunebench.models import build_model, save_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import Variant, apply_masks
from prunebench.pruning.during_training import TrainingPlan, achieved_sparsity, training_sparsifier
from prunebench.pruning.during_training.sweep import chosen_params
from prunebench.training import TrainConfig, record_failures, train, training_images

params = snakemake.params
seed, sparsity = int(snakemake.wildcards.seed), float(snakemake.wildcards.target)
prune = Variant(**params.prune)
if "sweep" in snakemake.input.keys():  # the strength chosen for this sweep point on the study's sweep_seed
    with open(snakemake.input.sweep) as f:
        prune = prune.with_params(chosen_params(json.load(f), sparsity))
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    spec = {**params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec).to(device())  # the dense model's initialization: the same stream, the same draws
    config = TrainConfig.from_dict(params.train)
    plan = TrainingPlan(len(training_images(data, config)[1]), config.epochs, config.batch_size)
    sparsifier = training_sparsifier(model, prune, sparsity, seed, plan)
    start = time.perf_counter()
    result = train(
        model,
        data,
        config,
        seed,
        stage="sparse",
        sparsifier=sparsifier,
        record_divergence=record_failures(snakemake.config),
    )
    seconds = time.perf_counter() - start
    model = sparsifier.export(result.model)
    achieved = achieved_sparsity(result.masks)
    log.info(
        "%s at sweep point %s: achieved sparsity %.4f, %d mask updates, %.1f s",
        prune.method,
        sparsity,
        achieved,
        sparsifier.updates,
        seconds,
    )
    save_checkpoint(snakemake.output.model, model, spec, failed=result.failed)
    save_torch(snakemake.output.masks, result.masks)
    write_csv(snakemake.output.history, pd.DataFrame(result.history))
    metrics = {
        "selected_epoch": result.selected_epoch,
        "steps": plan.total_steps,
        "mask_updates": sparsifier.updates,
        "achieved_sparsity": achieved,
        "layer_sparsity": {name: achieved_sparsity({name: mask}) for name, mask in result.masks.items()},
    }
    write_json(
        snakemake.output.metrics,
        {
            "metrics": metrics,
            **({"failed": result.failed} if result.failed else {}),
            "provenance": provenance(
                {"model": spec, "train": params.train, "prune": prune.as_dict()}, seed, data.checksum()
            ),
        },
    )
    # Timings vary between runs: kept out of the JSON metrics, which are bitwise reproducible.
    write_csv(
        snakemake.output.timing,
        pd.DataFrame(
            [
                {
                    "seconds": seconds,
                    "steps": plan.total_steps,
                    "seconds_per_step": seconds / plan.total_steps,
                    "threads": snakemake.threads,
                }
            ]
        ),
    )
    record = evaluation_record(
        apply_masks(model, result.masks),
        result.masks,
        data,
        config,  # its train-set metrics: the images this training learnt from
        result.failed,
        {"model": spec, **dict(snakemake.wildcards.items())},
        seed,
    )
    write_json(snakemake.output.evaluation, record)
