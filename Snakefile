# prunebench: every table and figure of the pruning documents in one DAG.
#   snakemake --cores 2                         the embedded default (config.yaml)
#   snakemake --cores 2 weight_vs_unit          one study
#   snakemake --configfile configs/paper.yaml   the papers' protocols (GPU / cluster)
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


# The shared stages, in DAG order.
include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/prune.smk"
include: "workflow/rules/search.smk"
include: "workflow/rules/slim.smk"
include: "workflow/rules/finetune.smk"
include: "workflow/rules/train_sparse.smk"
include: "workflow/rules/evaluate.smk"


# Studies, in the order workflow/studies.yaml declares them (common.smk: STUDIES): each has a folder under
# workflow/rules/studies/ (common.smk: its input helpers; rules.smk: its own stages, tables, figures and claims,
# ending with register_study).
for study in STUDIES:

    include: f"workflow/rules/studies/{study}/common.smk"
    include: f"workflow/rules/studies/{study}/rules.smk"


# One target per registered study (`snakemake --cores 2 <study>`), the catalog of all of them, and their claims page.
include: "workflow/rules/targets.smk"


rule all:
    default_target: True
    input:
        rules.artifact_catalog.output,
        rules.claims_page.output,
        rules.run_times.output,


# Under a cluster executor these run in the main Snakemake process, not as cluster jobs: data preparation (a download
# needs the submitting host's network) and every rule writing a catalog artifact (tables, figures, claims: seconds of
# work each, on the results of the jobs). Generic: the `localrules:` directive with the names computed.
workflow.localrules("prepare_data", *(r.name for r in workflow.rules if any(is_artifact(str(f)) for f in r.output)))


# Every job with a log records its wall time, CPU time and peak memory (a Snakemake benchmark file, as the `benchmark:`
# directive would write it) under logs/benchmarks/<rule>/, at its log's path: set here for every rule at once, with
# the log's path modifier, rather than as a copy of each rule's log path. The run_times rule (targets.smk) sums them.
for job_rule in workflow.rules:
    if job_rule.log:
        job_rule.benchmark_modifier = job_rule.log_modifier
        job_rule.benchmark = benchmark_path(LOGS, job_rule.name, str(job_rule.log[0]))
