# Study 002 (ddnp): its pruned runs and the input helpers of its rules.
from prunebench.studies.ddnp.reported import TABLE1

DDNP_REPORTED = str(TABLE1)  # the document's Table 1, shipped with the library


def ddnp_pruned_runs():
    """Every (run, variant, FLOPs reduction) of the study with its method's name."""
    variants = study_cfg("ddnp")["prune"]["variants"]
    return [{**run, "method": variants[run["variant"]]["method"]} for run in pruned_runs_of("ddnp")]
