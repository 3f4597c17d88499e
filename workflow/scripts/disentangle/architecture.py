from prunebench.joblog import job_log
from prunebench.models import load_checkpoint
from prunebench.plots import save_figure
from prunebench.studies.disentangle.figures import architecture_figure

with job_log(snakemake.log[0]):
    model, spec = load_checkpoint(snakemake.input.model)
    figure = architecture_figure(
        model, spec["input_shape"], f" (beta = {spec.get('beta', 1):g}, {spec['num_classes']} classes)"
    )
    save_figure(figure, snakemake.output.png, snakemake.output.pdf)
