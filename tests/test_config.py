import copy
from pathlib import Path

import pytest
import yaml

from prunebench.config import (
    ConfigError,
    check_data_sources,
    evaluated_at_pruning,
    trained_sparse_name_errors,
    validate_config,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
CONFIGS = [
    ROOT / "config.yaml",
    ROOT / "configs/smoke.yaml",
    ROOT / "configs/paper.yaml",
    ROOT / "configs/converged.yaml",
]


def load(path):
    return yaml.safe_load(Path(path).read_text())


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_shipped_configs_are_valid(path):
    validate_config(load(path), SCHEMA)


def broken(edit):
    config = copy.deepcopy(load(ROOT / "configs/smoke.yaml"))
    edit(config)
    return config


def set_path(config, dotted, value):
    *parents, last = dotted.split(".")
    node = config
    for key in parents:
        node = node[key]
    node[last] = value


CASES = [
    ("studies.weight_vs_unit.prune.variants.weight.method", "optimal_brain_damage", ["'lowest'", "'unit'"]),
    ("studies.weight_vs_unit.models.mlp.arch", "transformer", ["'mlp'"]),
    ("studies.weight_vs_unit.datasets", ["svhn"], ["'fashion_mnist'", "'digits'"]),
    ("studies.weight_vs_unit.prune.sparsities", [0.5, 1.0], ["maximum of 1"]),
    ("studies.weight_vs_unit.prune.sparsities", [-0.1], ["minimum of 0"]),
    ("studies.weight_vs_unit.train.epochs", -1, ["minimum of 0"]),
    ("studies.weight_vs_unit.prune.layers", "middle", ["'all_but_last'"]),
    ("studies.weight_vs_unit.train.learning_rate", 0.1, ["learning_rate", "allowed keys", "'lr'"]),
    ("studies.weight_vs_unit.prune.variants.weight.params", {"batches": 2}, ["'batches' was unexpected"]),
    (
        "studies.latent_kl.per_model",
        {"small_cnn": {"train": {"learning_rate": 0.1}}},
        ["per_model.small_cnn.train", "'learning_rate' was unexpected"],
    ),
    (
        "studies.weight_vs_unit.prune.variants.weight",
        {"method": "taylor", "params": {"batches": "four"}},
        ["params.batches", "'four' is not of type 'integer'"],
    ),
    (
        "studies.weight_vs_unit.prune.variants.weight",
        {"method": "taylor", "params": {"batch": 8}},
        ["params", "'batch' was unexpected", "'batch_size'"],
    ),
]


@pytest.mark.parametrize("key,value,expected", CASES, ids=[c[0] + "=" + str(c[1]) for c in CASES])
def test_bad_values_name_the_key_and_the_allowed_values(key, value, expected):
    config = broken(lambda c: set_path(c, key, value))
    with pytest.raises(ConfigError) as error:
        validate_config(config, SCHEMA)
    message = str(error.value)
    named = key.rsplit(".", 1)[0] if key.endswith("learning_rate") else key
    assert f"config key {named}" in message, message
    for fragment in expected:
        assert fragment in message


def test_a_dataset_without_an_entry_under_datasets_is_named():
    config = broken(lambda c: set_path(c, "studies.weight_vs_unit.datasets", ["mnist"]))
    with pytest.raises(ConfigError, match=r"studies.weight_vs_unit.datasets: 'mnist' has no entry under `datasets`"):
        validate_config(config, SCHEMA)


def test_the_weight_vs_unit_study_needs_both_variants():
    config = broken(lambda c: c["studies"]["weight_vs_unit"]["prune"]["variants"].pop("unit"))
    with pytest.raises(ConfigError, match="studies.weight_vs_unit.prune.variants: 'unit' is a required property"):
        validate_config(config, SCHEMA)


def test_a_variant_name_both_searched_and_pruned_is_named():
    """002's `l1` is pruned (prune); a structured search of that name elsewhere would be searched: both write
    masks.pt. (A name trained sparse in one study and pruned in another is fine: train_sparse writes other files.)"""
    search = {"method": "dp", "params": {}}
    config = broken(lambda c: set_path(c, "studies.weight_vs_unit.prune.variants.l1", search))
    with pytest.raises(ConfigError, match=r"\['l1'\] name a structured search in one study and a criterion"):
        validate_config(config, SCHEMA)


def test_criteria_with_nothing_between_pruning_and_evaluation_are_evaluated_where_they_are_pruned():
    """common.smk's prune_evaluate: 004's weight and unit variants (no fine-tuning, no slimming); not 000's, 001's and
    002's (fine-tuned) nor 003's (trained sparse). A name that is something else in another study without fine-tuning
    goes through prune and evaluate everywhere."""
    config = load(ROOT / "configs/smoke.yaml")
    assert evaluated_at_pruning(config) == (["weight_vs_unit"], ["unit", "weight"])
    config["studies"]["review"]["prune"]["variants"]["weight"] = {"method": "gradual_magnitude"}
    assert evaluated_at_pruning(config) == (["weight_vs_unit"], ["unit"])


def test_a_criterion_named_like_a_training_time_variant_in_a_study_that_trains_sparse_is_named():
    """train_sparse (which writes evaluation.json too) is told apart by study and variant name: 001's criterion
    `random` is fine (001 trains nothing sparse, 003's `random` is training-time); a criterion in 003, beside its
    training-time variants, under a name that is training-time in 000, is not."""
    config = load(ROOT / "configs/smoke.yaml")
    assert config["studies"]["latent_kl"]["prune"]["variants"]["random"] == {"method": "random"}
    assert trained_sparse_name_errors(config) == []
    config["studies"]["review"]["prune"]["variants"]["extra"] = {"method": "random"}
    config["studies"]["disentangle"]["prune"]["variants"]["extra"] = {"method": "gradual_magnitude"}
    (error,) = trained_sparse_name_errors(config)
    assert error.startswith("config key studies.review.prune.variants.extra: 'extra' is a training-time variant")


def test_histogram_sparsity_must_be_in_the_sweep():
    config = broken(lambda c: set_path(c, "studies.weight_vs_unit.histogram_sparsity", 0.7))
    with pytest.raises(ConfigError, match="histogram_sparsity"):
        validate_config(config, SCHEMA)


def test_missing_data_source_is_reported_before_any_job(tmp_path, monkeypatch):
    from prunebench.data import mnist

    monkeypatch.setattr(mnist, "SYSTEM_FASHION_MNIST_DIR", tmp_path / "nowhere")
    config = load(ROOT / "config.yaml")
    config["data"]["data_dir"] = str(tmp_path)
    with pytest.raises(ConfigError, match="data.data_dir / data.download.*fashion_mnist.*dataset-fashion-mnist"):
        check_data_sources(config, prepared_exists=lambda name: False)
    check_data_sources(config, prepared_exists=lambda name: True)  # prepared tensors need no source
    config["data"]["download"] = True
    check_data_sources(config, prepared_exists=lambda name: False)  # the download rule will fetch it


def test_a_figure_of_a_model_the_review_study_does_not_train_is_named():
    config = broken(lambda c: set_path(c, "studies.review.figures.F4", "resnet20"))
    with pytest.raises(ConfigError, match=r"studies.review.figures: \['resnet20'\] not among studies.review.models"):
        validate_config(config, SCHEMA)


def test_a_sweep_that_does_not_fit_its_variant_is_named_by_the_config_check():
    config = broken(lambda c: set_path(c, "studies.review.sweep.l0", {"lambda": [1.0]}))
    with pytest.raises(ConfigError, match=r"studies.review.sweep.l0.lambda: method 'l0' has no such parameter"):
        validate_config(config, SCHEMA)


def merged_into_default(path):
    """`path` over config.yaml, as `--configfile path` merges it (mappings merged key by key)."""
    from snakemake.utils import update_config

    config = load(ROOT / "config.yaml")
    update_config(config, load(path))
    return config


@pytest.mark.parametrize("path", CONFIGS[1:], ids=lambda p: p.name)
def test_shipped_configs_are_valid_as_merged_into_the_default(path):
    validate_config(merged_into_default(path), SCHEMA)


def test_a_model_argument_its_architecture_does_not_take_is_named():
    config = broken(lambda c: set_path(c, "studies.review.models.lenet5", {"arch": "lenet5", "depth": 20}))
    with pytest.raises(ConfigError, match=r"studies.review.models.lenet5: lenet5: .*'depth'"):
        validate_config(config, SCHEMA)


def test_the_tickets_model_drops_null_arguments_and_names_the_others():
    """configs/paper.yaml's VGG-16 over config.yaml's small net: its channels and hidden width are not VGG-16's."""
    vgg = {"arch": "cifar_vgg16", "channels": None, "hidden": None}
    validate_config(broken(lambda c: set_path(c, "studies.review.tickets.model", vgg)), SCHEMA)

    config = broken(lambda c: set_path(c, "studies.review.tickets.model", {**vgg, "channels": [6, 16]}))
    with pytest.raises(ConfigError, match=r"studies.review.tickets.model: cifar_vgg16: .*'channels'"):
        validate_config(config, SCHEMA)


@pytest.mark.parametrize("path", CONFIGS[2:], ids=lambda p: p.name)
def test_a_training_phase_takes_no_setting_from_the_default(path):
    """A setting config.yaml gives a phase that the config does not (002's train_subset: 10000, once) would silently
    change its protocol: every training phase of its studies states each key itself."""
    own, full = load(path)["studies"], merged_into_default(path)["studies"]
    inherited = [
        f"studies.{study}.{phase}.{key}"
        for study, cfg in own.items()
        if cfg
        for phase in ("train", "finetune", "headless", "search")
        if phase in cfg
        for key in set(full[study][phase]) - set(cfg[phase])
    ]
    assert inherited == []
