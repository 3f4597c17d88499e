# Study 002 on ImageNet (002-T2): the stages of study ddnp (prune or search -> slim -> finetune -> evaluate) on
# ImageNet from a local folder, from torchvision's pretrained networks; its table in results/ddnp_imagenet/.
# Without the folder the study is left out of the run, saying so (common.smk), and the rest runs.


rule ddnp_imagenet_table:
    input:
        dense=lambda wildcards: paths(f"{DENSE}/metrics.json", ddnp_pruned_runs("ddnp_imagenet")),
        evaluations=lambda wildcards: paths(f"{PRUNED}/evaluation.json", ddnp_pruned_runs("ddnp_imagenet")),
        slimmings=lambda wildcards: paths(f"{PRUNED}/slimmed.json", ddnp_pruned_runs("ddnp_imagenet")),
        reported=DDNP_IMAGENET_REPORTED,
    output:
        table=[
            artifact("ddnp_imagenet", "T2", "csv"),
            artifact("ddnp_imagenet", "T2", "md"),
        ],
        runs=f"{DDNP_IMAGENET}/runs/pruned_runs.csv",
    log:
        f"{LOGS}/ddnp_imagenet/T2.log",
    conda:
        ENV
    params:
        artifact="002-T2",
        runs=lambda wildcards: ddnp_pruned_runs("ddnp_imagenet"),
    script:
        "../../../scripts/ddnp/comparison_table.py"


register_study("ddnp_imagenet", lambda: [rules.ddnp_imagenet_table])
