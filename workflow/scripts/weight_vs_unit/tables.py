from prunebench.joblog import job_log
from prunebench.studies.weight_vs_unit.tables import (
    collect_elimination_stats,
    collect_evaluations,
    forward_time_table,
    loss_accuracy_table,
)
from prunebench.tables import write_table

runs, out = snakemake.params.runs, snakemake.output
with job_log(snakemake.log[0]):
    evaluations = collect_evaluations(runs, snakemake.input.evaluations)
    write_table(
        loss_accuracy_table(evaluations),
        *out.loss_accuracy,
        title="004-T1: loss and accuracy against the pruned fraction k",
    )
    write_table(
        collect_elimination_stats(runs, snakemake.input.models, snakemake.input.masks),
        *out.ks,
        title="004-B1: eliminated vs surviving |w| per layer (KS statistic)",
    )
    write_table(
        forward_time_table(snakemake.input.latency),
        *out.forward_time,
        title="004-B2: CPU forward time of one minibatch",
    )
