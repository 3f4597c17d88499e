# Study 003 (review): input helpers of its artifact rules (functions only).
from prunebench.studies.review.published import DATA as PUBLISHED_RESULTS
from prunebench.studies.review.tables import TECHNIQUES

RV_PUBLISHED = str(PUBLISHED_RESULTS)  # the published State of Sparsity results shipped with the library


def rv_sos_runs():
    """Every training-time run of part 1 (the State of Sparsity techniques), as wildcard dicts."""
    return [r for r in pruned_runs_of("review") if r["variant"] in TECHNIQUES]


def rv_figure_models():
    return study_cfg("review")["figures"]

