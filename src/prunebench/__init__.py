"""prunebench: the library behind the Snakemake workflow (data, models, pruning, training, metrics, plots)."""
