import pandas as pd

from prunebench.atomic import save_torch, write_csv, write_json
from prunebench.data import load_prepared
from prunebench.determinism import seed_everything
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import Variant
from prunebench.pruning.search import SearchSettings, search_channels
from prunebench.training import record_failures

variant = Variant(**snakemake.params.prune)
seed = int(snakemake.wildcards.seed)
flops_kept = 1 - float(snakemake.wildcards.target)
with job_log(snakemake.log[0]) as log:
    seed_everything(seed, snakemake.threads)
    model, spec = load_checkpoint(snakemake.input.model)
    data = load_prepared(snakemake.input.data)
    settings = SearchSettings(**snakemake.params.search)
    result = search_channels(
        model,
        tuple(spec["input_shape"]),
        data,
        variant.method,
        variant.params,
        flops_kept,
        settings,
        seed,
        variant.layers,
        record_divergence=record_failures(snakemake.config),
    )
    log.info("%s at p = %g: %s", variant.method, flops_kept, result.record)
    # the dense model's failure carries on; the slim stage reads it from here into the pruned model's checkpoint
    failed = checkpoint_failure(snakemake.input.model) or result.failed
    save_torch(snakemake.output.masks, result.masks)
    write_csv(snakemake.output.history, pd.DataFrame(result.history).assign(failed=failed or ""))
    write_json(
        snakemake.output.record,
        {
            "search": result.record,
            **({"failed": failed} if failed else {}),
            "provenance": provenance(
                {**variant.as_dict(), "search": snakemake.params.search, "flops_kept": flops_kept},
                seed,
                data.checksum(),
            ),
        },
    )
