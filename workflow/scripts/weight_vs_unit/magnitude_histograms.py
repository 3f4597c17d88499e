from prunebench.joblog import job_log
from prunebench.models import load_checkpoint
from prunebench.plots import save_figure
from prunebench.pruning import load_masks
from prunebench.studies.weight_vs_unit.figures import magnitude_histograms

with job_log(snakemake.log[0]):
    model, _ = load_checkpoint(snakemake.input.model)
    masks = {variant: load_masks(path) for variant, path in zip(snakemake.params.variants, snakemake.input.masks)}
    figure = magnitude_histograms(dict(model.named_parameters()), masks, snakemake.params.k_percent)
    save_figure(figure, snakemake.output.png, snakemake.output.pdf)
