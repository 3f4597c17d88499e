import pandas as pd
import torch

from prunebench.atomic import write_csv
from prunebench.data import load_prepared
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint
from prunebench.plots import save_figure
from prunebench.pruning import apply_masks, load_masks
from prunebench.studies.review.pie import class_changes, mark_failed, pie_summary, population_failures, predict
from prunebench.studies.review.pie_figure import pie_figure
from prunebench.tables import write_table

inp, out, params = snakemake.input, snakemake.output, snakemake.params


def predictions(models, masks=None):
    out = []
    for i, path in enumerate(models):
        model, _ = load_checkpoint(path)
        if masks is not None:
            apply_masks(model, load_masks(masks[i]))
        out.append(predict(model, data.test_x))
    return torch.stack(out)


with job_log(snakemake.log[0]):
    data = load_prepared(inp.data)
    dense, control = predictions(inp.dense), predictions(inp.control)
    pruned = {}
    for s in params.sparsities:
        chosen = [i for i, label in enumerate(params.pruned_sparsity) if label == s]
        pruned[s] = predictions([inp.pruned_models[i] for i in chosen], [inp.pruned_masks[i] for i in chosen])
    failures = population_failures(
        [checkpoint_failure(path) for path in [*inp.dense, *inp.control]],
        {
            s: [
                checkpoint_failure(inp.pruned_models[i]) for i, label in enumerate(params.pruned_sparsity) if label == s
            ]
            for s in params.sparsities
        },
    )
    counts, pies = pie_summary(dense, pruned, data.test_y, data.num_classes, control)
    counts = mark_failed(counts, failures, ["sparsity", "models_per_population", "control_models"])
    pies = pies[pies["sparsity"].map(failures) == ""]  # a failed population's PIEs are not measured
    classes = pd.concat(
        [class_changes(dense, p, data.test_y, data.classes).assign(sparsity=s) for s, p in pruned.items()],
        ignore_index=True,
    )
    classes = mark_failed(
        classes[["sparsity", *[c for c in classes.columns if c != "sparsity"]]], failures, ["sparsity", "class"]
    )
    title = "003-F7: PIE count per sparsity, the populations' accuracy (%) on PIEs and on the rest, and the control's"
    write_table(counts, *out.counts, title=title)
    write_table(
        classes,
        *out.classes,
        title="003-F7: per class, recall minus accuracy (points), dense vs pruned population, Welch's t-test",
    )
    write_csv(out.pies, pies)
    save_figure(
        pie_figure(data.test_x, pies, counts, classes, data.classes, params.grid, params.model), out.png, out.pdf
    )
