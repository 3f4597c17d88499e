# Study 004 (weight_vs_unit): its protocols (004-B3) as models of the study, and the input helpers of its rules.
from types import SimpleNamespace

from prunebench.studies.weight_vs_unit.protocols import DEFAULT, protocol_model, protocol_models, protocol_settings


def wvu_cfg():
    return study_cfg("weight_vs_unit")


# The shared stages read the study's `models` and `per_model`: each changed protocol of 004-B3 becomes a model of
# its own (<model>_<name>) with its training overrides. WVU_MODEL, the configured model, is the default protocol.
if study_enabled("weight_vs_unit"):
    WVU_MODEL, WVU_SPEC = next(iter(wvu_cfg()["models"].items()))
    changes = wvu_cfg().get("protocols", {}).get("changes", [])  # no `protocols`: no 004-B3
    wvu_cfg()["models"], wvu_cfg()["per_model"] = protocol_models(WVU_MODEL, WVU_SPEC, changes)


def wvu_runs():
    """The study's own runs (T1, F1-F5, claims): every seed of the default protocol."""
    return [r for r in runs_of("weight_vs_unit") if r["model"] == WVU_MODEL]


def wvu_pruned_runs(sparsities=None):
    return [r for r in pruned_runs_of("weight_vs_unit", sparsities) if r["model"] == WVU_MODEL]


def wvu_first_run():
    return wvu_runs()[0]


def wvu_histogram_runs():
    k = wvu_cfg()["histogram_sparsity"]
    return [r for r in wvu_pruned_runs([k]) if r["seed"] == wvu_first_run()["seed"]]


def wvu_k_percent(key):
    return round(100 * wvu_cfg()[key], 6)


def wvu_protocol_seeds():
    """004-B3's protocols in table order with their seeds: the default with the study's seeds (its runs are the
    study's own), then each change with `protocols.seeds`."""
    protocols = wvu_cfg()["protocols"]
    return {DEFAULT: wvu_cfg()["seeds"], **{change["name"]: protocols["seeds"] for change in protocols["changes"]}}


def wvu_protocol_runs():
    """Every trained (protocol, seed) of 004-B3, as wildcard dicts with the protocol's name."""
    return [
        {
            "study": "weight_vs_unit",
            "dataset": dataset,
            "model": protocol_model(WVU_MODEL, protocol),
            "seed": seed,
            "protocol": protocol,
        }
        for dataset in wvu_cfg()["datasets"]
        for protocol, seeds in wvu_protocol_seeds().items()
        for seed in seeds
    ]


def wvu_protocol_pruned_runs():
    return [
        pruned_run(run, variant, k)
        for run in wvu_protocol_runs()
        for variant in wvu_cfg()["prune"]["variants"]
        for k in wvu_cfg()["protocols"]["sparsities"]
    ]


def wvu_protocol_settings():
    """protocol -> {init, epochs, select}, from the model spec and training each protocol's jobs receive."""
    settings = {}
    for protocol in wvu_protocol_seeds():
        wildcards = SimpleNamespace(study="weight_vs_unit", model=protocol_model(WVU_MODEL, protocol))
        settings[protocol] = protocol_settings(model_params(wildcards), train_params(wildcards))
    return settings
