from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import seed_everything
from prunebench.joblog import job_log
from prunebench.models import load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import load_masks
from prunebench.studies.review.retraining import retrain

seed, arm = int(snakemake.wildcards.seed), snakemake.wildcards.arm
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    rewind, spec = load_checkpoint(snakemake.input.rewind)
    _, _, metrics = retrain(arm, load_masks(snakemake.input.masks), rewind, spec, data, snakemake.params.train, seed)
    log.info("%s: %s", arm, metrics)
    write_json(snakemake.output.metrics, {"metrics": metrics, "provenance": provenance({"arm": arm, "train": snakemake.params.train}, seed, data.checksum())})
