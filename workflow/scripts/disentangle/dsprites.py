import torch

from prunebench.atomic import save_torch, write_json
from prunebench.data import save_prepared
from prunebench.data.dsprites import FACTOR_NAMES
from prunebench.joblog import job_log
from prunebench.provenance import provenance
from prunebench.studies.disentangle.protocol import dsprites_data

mig = snakemake.params.mig
with job_log(snakemake.log[0]) as log:
    data, factors = dsprites_data(mig["size"], mig["data_seed"], mig["val_fraction"], mig["test_fraction"], snakemake.params.data_dir)
    save_prepared(snakemake.output.data, data)
    save_torch(snakemake.output.factors, factors)
    log.info("dSprites from %s: %d train, %d val, %d test", data.source, len(data.train_y), len(data.val_y), len(data.test_y))
    write_json(
        snakemake.output.info,
        {
            "source": data.source, "classes": data.classes, "factors": list(FACTOR_NAMES),
            "sizes": {"train": len(data.train_y), "val": len(data.val_y), "test": len(data.test_y)},
            "test_factor_values": {name: int(torch.unique(factors[:, i]).numel()) for i, name in enumerate(FACTOR_NAMES)},
            "provenance": provenance({k: mig[k] for k in ("size", "data_seed", "val_fraction", "test_fraction")}, mig["data_seed"], data.checksum()),
        },
    )
