# Study 003, part 2: pruning identified exemplars (003-F7): PIE counts per population, its control and figure.


rule rv_pie:
    input:
        data=lambda wildcards: f"{DATA}.pt".format(dataset=study_cfg("review")["datasets"][0]),
        dense=lambda wildcards: paths(f"{DENSE}/model.pt", rv_pie_runs()),
        control=lambda wildcards: paths(f"{DENSE}/model.pt", rv_pie_runs(control=True)),
        pruned_models=lambda wildcards: [model for _, model, _ in rv_pie_pruned()],
        pruned_masks=lambda wildcards: [masks for _, _, masks in rv_pie_pruned()],
    output:
        counts=[
            artifact("review", "F7", "counts.csv"),
            artifact("review", "F7", "counts.md"),
        ],
        classes=[
            artifact("review", "F7", "classes.csv"),
            artifact("review", "F7", "classes.md"),
        ],
        pies=f"{RV}/runs/pie_images.csv",
        png=artifact("review", "F7", "png"),
        pdf=artifact("review", "F7", "pdf"),
    log:
        f"{LOGS}/review/F7.log",
    conda:
        ENV
    params:
        sparsities=lambda wildcards: [float(s) for s in rv_part2("pie")["sparsities"]],
        pruned_sparsity=lambda wildcards: [s for s, _, _ in rv_pie_pruned()],
        grid=lambda wildcards: rv_part2("pie")["grid"],
        model=lambda wildcards: rv_part2("pie")["model"],
    script:
        "../../../scripts/review/pie.py"
