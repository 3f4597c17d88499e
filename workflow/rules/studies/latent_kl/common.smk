# Study latent_kl: input helpers of its rules (functions only).


def kl_run(wildcards):
    """The dense run of a per-run 001 rule, as a wildcard dict."""
    return {"study": "latent_kl", "dataset": wildcards.dataset, "model": wildcards.model, "seed": int(wildcards.seed)}


def kl_run_pruned(wildcards):
    """The pruned variants of one dense run, in a fixed order shared by the inputs and the params."""
    run = kl_run(wildcards)
    return [r for r in pruned_runs_of("latent_kl") if all(r[k] == v for k, v in run.items())]


def kl_dataset_models():
    cfg = study_cfg("latent_kl")
    return [(dataset, model) for dataset in cfg["datasets"] for model, spec in cfg["models"].items() if spec is not None]


def kl_figure_files(kinds):
    """The per-(dataset, model) figure files of 001, PNG and PDF, for the given `<ID>_<name>` kinds."""
    return [
        f"{RESULTS}/latent_kl/{kind}_{dataset}-{model}.{ext}"
        for dataset, model in kl_dataset_models()
        for kind in kinds
        for ext in ("png", "pdf")
    ]
