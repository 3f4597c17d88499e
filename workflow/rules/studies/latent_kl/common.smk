# Study latent_kl: input helpers of its rules (functions only).
from types import SimpleNamespace


def kl_run(wildcards):
    """The dense run of a per-run 001 rule, as a wildcard dict."""
    return {"study": "latent_kl", "dataset": wildcards.dataset, "model": wildcards.model, "seed": int(wildcards.seed)}


def kl_finetune_params(wildcards):
    """The fine-tuning settings of a dense run's pruned variants: PD compares the dense model with them on their images."""
    return finetune_params(SimpleNamespace(**kl_run(wildcards)))


def kl_dataset_models():
    return list(dict.fromkeys((run["dataset"], run["model"]) for run in runs_of("latent_kl")))
