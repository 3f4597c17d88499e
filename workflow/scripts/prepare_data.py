from prunebench.atomic import write_json
from prunebench.data import load_raw, prepare, save_prepared
from prunebench.joblog import job_log
from prunebench.provenance import provenance

params = snakemake.params.data
with job_log(snakemake.log[0]) as log:
    raw = load_raw(params["name"], params["data_dir"], params["download"], params.get("options"))
    data = prepare(
        raw,
        val_size=params["val_size"],
        seed=params["split_seed"],
        train_subset=params.get("train_subset"),
        test_subset=params.get("test_subset"),
    )
    save_prepared(snakemake.output.data, data)
    checksum = data.checksum()
    log.info(
        "%s from %s: %d train, %d val, %d test",
        params["name"],
        data.source,
        len(data.train_y),
        len(data.val_y),
        len(data.test_y),
    )
    write_json(
        snakemake.output.info,
        {
            "source": data.source,
            "classes": data.classes,
            "sizes": {"train": len(data.train_y), "val": len(data.val_y), "test": len(data.test_y)},
            "provenance": provenance(params, seed=params["split_seed"], data_checksum=checksum),
        },
    )
