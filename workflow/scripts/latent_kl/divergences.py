import pandas as pd

from prunebench.atomic import load_torch, write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint
from prunebench.provenance import provenance
from prunebench.studies.latent_kl.divergences import dense_reference, run_divergences
from prunebench.training import TrainConfig

inputs, params = snakemake.input, snakemake.params
seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]):
    seed_everything(seed, snakemake.threads)
    data = load_prepared(inputs.data)
    model, _ = load_checkpoint(inputs.model, device())
    finetune = TrainConfig.from_dict(params.finetune)
    reference = dense_reference(model, data, finetune)
    dense_state = {name: tensor.cpu() for name, tensor in model.state_dict().items()}
    pruned = [
        (variant, sparsity, pd.read_csv(history), load_torch(snapshots, map_location="cpu"))
        for (variant, sparsity), history, snapshots in zip(
            params.pruned, inputs.histories, inputs.snapshots, strict=True
        )
    ]
    # a fine-tuned checkpoint carries its own divergence and the dense training's
    failed = {
        (variant, sparsity): reason
        for (variant, sparsity), path in zip(params.pruned, inputs.finetuned, strict=True)
        if (reason := checkpoint_failure(path))
    }
    divergence = params.divergence
    table = run_divergences(
        dense_state,
        reference,
        pruned,
        divergence["ap3_gaussian"],
        divergence["ap3_student_t"],
        seed,
        failed,
        finetune.epochs,
    )
    write_csv(snakemake.output.table, table)
    write_json(
        snakemake.output.record,
        {
            "dense_reference": reference,
            "values": table.to_dict(orient="records"),
            "provenance": provenance(
                {"divergence": divergence, "finetune": params.finetune, **dict(snakemake.wildcards.items())},
                seed,
                data.checksum(),
            ),
        },
    )
