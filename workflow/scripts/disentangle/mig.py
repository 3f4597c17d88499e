import torch

from prunebench.atomic import write_json
from prunebench.data import load_prepared
from prunebench.determinism import device, seed_everything
from prunebench.joblog import job_log
from prunebench.provenance import provenance
from prunebench.studies.disentangle.protocol import mig_protocol
from prunebench.training import TrainConfig

mig = snakemake.params.mig
seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    data = load_prepared(snakemake.input.data)
    factors = torch.load(snakemake.input.factors, weights_only=True)
    spec = {**snakemake.params.spec, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    with torch.device(device()):
        metrics = mig_protocol(
            spec, data, factors,
            TrainConfig.from_dict(mig["train"]), TrainConfig.from_dict(mig["headless"]), TrainConfig.from_dict(mig["finetune"]),
            mig["sparsity"], seed, snakemake.params.keep_kl, bins=mig["bins"],
        )
    log.info("beta %s seed %d: MIG %.4f -> %.4f after pruning", snakemake.wildcards.beta, seed, metrics["unpruned"]["mig"]["mig"], metrics["pruned"]["mig"]["mig"])
    write_json(snakemake.output.metrics, {"metrics": metrics, "provenance": provenance({"model": spec, "mig": mig, "keep_kl": snakemake.params.keep_kl}, seed, data.checksum())})
