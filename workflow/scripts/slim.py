import json

from prunebench.atomic import save_torch, write_json
from prunebench.joblog import job_log
from prunebench.models import checkpoint_failure, load_checkpoint, save_checkpoint
from prunebench.provenance import provenance
from prunebench.pruning import apply_masks, load_masks, slimming_record

SEARCH_SUMMARY = ("search_prunable_flops_reduction", "search_within_budget", "projected")  # for 002-T1
seed = int(snakemake.wildcards.seed)
with job_log(snakemake.log[0]) as log:
    model, spec = load_checkpoint(snakemake.input.model)
    masks = load_masks(snakemake.input.masks)
    slimmed, slimmed_spec, remaining, record = slimming_record(apply_masks(model, masks), spec, masks)
    log.info("widths %s; FLOPs %d -> %d", record["widths"], record["dense_flops"], record["slimmed_flops"])
    failed = checkpoint_failure(snakemake.input.model)
    if "search" in snakemake.input.keys():  # a searched variant: the search's failure (it carries the dense model's)
        with open(snakemake.input.search) as f:
            searched = json.load(f)
        failed = searched.get("failed") or failed
        record["search"] = {key: searched["search"][key] for key in SEARCH_SUMMARY}
    save_checkpoint(snakemake.output.model, slimmed, slimmed_spec, failed=failed)
    save_torch(snakemake.output.masks, remaining)
    write_json(snakemake.output.record, {"slimming": record, "provenance": provenance({"model": spec}, seed)})
