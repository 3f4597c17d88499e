from prunebench.atomic import save_torch
from prunebench.data import load_prepared
from prunebench.data.dsprites import prepared_factors
from prunebench.joblog import job_log

params = snakemake.params.data
with job_log(snakemake.log[0]) as log:
    factors = prepared_factors(
        load_prepared(snakemake.input.data),
        params["name"],
        params["val_size"],
        params["split_seed"],
        params.get("train_subset"),
        params.get("test_subset"),
    )
    log.info(
        "%s: factors %s of %s images",
        params["name"],
        factors["names"],
        {s: len(factors[s]) for s in ("train", "val", "test")},
    )
    save_torch(snakemake.output.factors, factors)
