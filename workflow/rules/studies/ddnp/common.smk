# Study 002 (ddnp): its pruned runs and the input helpers of its rules.
from prunebench.studies.ddnp.reported import TABLE1

DDNP_REPORTED = str(TABLE1)  # the document's Table 1, shipped with the library


def ddnp_pruned_runs(study="ddnp"):
    """Every (run, variant, FLOPs reduction) of 002-T1 (of 002-T2 with study ddnp_imagenet) with its method's name (the
    search ablations are not in it)."""
    variants = study_cfg(study)["prune"]["variants"]
    ablations = study_cfg(study).get("search_ablations", [])
    return [
        {**run, "method": variants[run["variant"]]["method"]}
        for run in pruned_runs_of(study)
        if run["variant"] not in ablations
    ]


def ddnp_searches():
    """Every (run, structured-search variant, FLOPs reduction) of the study, ablations included (002-F3, F4)."""
    variants = study_cfg("ddnp")["prune"]["variants"]
    return [
        {**run, "method": variants[run["variant"]]["method"]}
        for run in pruned_runs_of("ddnp")
        if run["variant"] in SEARCHED_VARIANTS
    ]


def ddnp_claims_inputs(wildcards):
    """002-T1, and 002-F4's curves where the config runs searches."""
    inputs = {"table": artifact_path("ddnp", "T1", "csv")}
    if ddnp_searches():
        inputs["curves"] = artifact_path("ddnp", "F4", "csv")
    return inputs
