from prunebench.atomic import save_torch, write_json
from prunebench.data import load_prepared
from prunebench.joblog import job_log
from prunebench.models import load_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import Variant, compute_masks, mask_stats

variant = Variant(**snakemake.params.prune)
seed = int(snakemake.wildcards.seed)
target = float(snakemake.wildcards.target)  # of weights, units or FLOPs removed (the method's measure)
with job_log(snakemake.log[0]) as log:
    model, spec = load_checkpoint(snakemake.input.model)
    data = load_prepared(snakemake.input.data) if "data" in snakemake.input.keys() else None
    masks = compute_masks(
        model,
        variant.method,
        target,
        scope=variant.scope,
        layers=variant.layers,
        seed=seed,
        params=variant.params,
        data=data,
        input_shape=tuple(spec["input_shape"]),
    )
    stats = mask_stats(masks)
    log.info("%s at %s %s: %s", variant.method, snakemake.wildcards.measure, target, stats)
    save_torch(snakemake.output.masks, masks)
    write_json(
        snakemake.output.stats,
        {"layers": stats, "provenance": provenance({**variant.as_dict(), "target": target}, seed)},
    )
