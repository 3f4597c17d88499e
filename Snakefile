# prunebench: every table and figure of the pruning documents in one DAG.
#   snakemake --cores 2                         the embedded default (config.yaml)
#   snakemake --cores 2 weight_vs_unit          one study
#   snakemake --configfile configs/paper.yaml   the papers' protocols (GPU / cluster)
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/train.smk"
include: "workflow/rules/prune.smk"
include: "workflow/rules/finetune.smk"
include: "workflow/rules/train_sparse.smk"
include: "workflow/rules/evaluate.smk"
# Studies: one folder each (common.smk: input helpers; rules.smk: its own stages, tables, figures, claims).
include: "workflow/rules/studies/disentangle/common.smk"  # 000
include: "workflow/rules/studies/disentangle/rules.smk"
include: "workflow/rules/studies/latent_kl/common.smk"  # 001
include: "workflow/rules/studies/latent_kl/rules.smk"
include: "workflow/rules/studies/review/common.smk"  # 003
include: "workflow/rules/studies/review/rules.smk"
include: "workflow/rules/studies/weight_vs_unit/common.smk"  # 004
include: "workflow/rules/studies/weight_vs_unit/rules.smk"


rule all:
    input:
        all_study_artifacts(),
    default_target: True
