from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.metrics import forward_latency_table
from prunebench.models import load_checkpoint
from prunebench.pruning import load_masks

with job_log(snakemake.log[0]) as log:
    model, spec = load_checkpoint(snakemake.input.model)
    pruned = [
        (variant, sparsity, load_masks(path))
        for (variant, sparsity), path in zip(snakemake.params.pruned, snakemake.input.masks)
    ]
    table = forward_latency_table(
        model, spec["input_shape"], pruned, threads=snakemake.threads, **snakemake.params.latency
    )
    log.info("\n%s", table.to_string())
    write_csv(snakemake.output.timings, table)
