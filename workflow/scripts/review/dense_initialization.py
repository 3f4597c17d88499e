from prunebench.data import load_prepared
from prunebench.joblog import job_log
from prunebench.models import save_checkpoint
from prunebench.pruning.iterative import initial_model

with job_log(snakemake.log[0]):
    data = load_prepared(snakemake.input.data)
    spec = {**snakemake.params.model, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    save_checkpoint(snakemake.output.model, initial_model(spec, int(snakemake.wildcards.seed)), spec)
