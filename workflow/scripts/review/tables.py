from prunebench.atomic import write_csv
from prunebench.joblog import job_log
from prunebench.studies.review.tables import collect_dense, collect_runs, cost_table
from prunebench.tables import write_table

inputs, out = snakemake.input, snakemake.output
with job_log(snakemake.log[0]):
    runs = collect_runs(snakemake.params.runs, inputs.evaluations, inputs.trainings, inputs.timings)
    dense = collect_dense(snakemake.params.dense, inputs.dense)
    write_csv(out.runs, runs)
    write_csv(out.dense, dense)
    write_table(
        cost_table(runs, dense), *out.cost, title="003-B1: training cost of each technique next to its accuracy"
    )
