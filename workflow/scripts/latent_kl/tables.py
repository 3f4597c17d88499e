from prunebench.joblog import job_log
from prunebench.studies.latent_kl.tables import collect_runs, rank_correlation_table, summary_table
from prunebench.tables import write_table

out = snakemake.output
with job_log(snakemake.log[0]) as log:
    runs = collect_runs(snakemake.params.runs, snakemake.input.runs)
    summary = summary_table(runs)
    rank = rank_correlation_table(summary, runs, snakemake.params.models)
    log.info("\n%s", rank.to_string())
    write_table(
        rank,
        *out.rank,
        title=(
            "001-B1: rank correlation of each divergence with PD over all (method, sparsity, epoch), chain-permutation"
            " p-values"
        ),
    )
    write_table(
        summary, *out.summary, title="001-B2: divergences and PD per fine-tuning epoch (mean and std over seeds)"
    )
