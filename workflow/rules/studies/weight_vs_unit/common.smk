# Study 004 (weight_vs_unit): input helpers of its artifact rules.


def wvu_first_run():
    return runs_of("weight_vs_unit")[0]


def wvu_histogram_runs():
    k = study_cfg("weight_vs_unit")["histogram_sparsity"]
    return [r for r in pruned_runs_of("weight_vs_unit", [k]) if r["seed"] == wvu_first_run()["seed"]]


def wvu_k_percent(key):
    return round(100 * study_cfg("weight_vs_unit")[key], 6)
