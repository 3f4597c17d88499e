"""004-B3: the init scheme of the MLP, the changed protocols as models of the study, and the B3 table."""

import copy
import json
import math
from pathlib import Path

import pytest
import torch
import yaml
from torch import nn

from prunebench.config import ConfigError, load_schema, validate_config
from prunebench.models import build_model
from prunebench.models.mlp import INITS
from prunebench.studies.weight_vs_unit.protocols import DEFAULT, protocol_model, protocol_models, protocol_settings
from prunebench.studies.weight_vs_unit.tables import protocol_table

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"
HIDDEN = [1000, 1000, 500, 200]


def linears(model):
    return [m for m in model.modules() if isinstance(m, nn.Linear)]


def test_glorot_uniform_draws_each_weight_from_keras_bounds():
    torch.manual_seed(0)
    model = build_model("mlp", (1, 28, 28), 10, hidden=HIDDEN, bias=False, init="glorot_uniform")
    for layer in linears(model):
        bound = math.sqrt(6 / (layer.in_features + layer.out_features))
        w = layer.weight.detach()
        assert w.abs().max() <= bound
        assert w.abs().max() > 0.99 * bound  # the whole interval is used
        assert w.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.02)  # U(-a, a) has std a / sqrt(3)


def test_pytorch_init_is_nn_linears_own_and_the_default():
    torch.manual_seed(0)
    default = build_model("mlp", (1, 28, 28), 10, hidden=HIDDEN)
    torch.manual_seed(0)
    explicit = build_model("mlp", (1, 28, 28), 10, hidden=HIDDEN, init="pytorch")
    for a, b in zip(linears(default), linears(explicit), strict=True):
        assert torch.equal(a.weight, b.weight)
        bound = 1 / math.sqrt(a.in_features)  # kaiming_uniform_(a = sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in))
        assert a.weight.abs().max() <= bound
        assert a.weight.std().item() == pytest.approx(bound / math.sqrt(3), rel=0.02)


def test_glorot_uniform_zeroes_biases_as_keras_does():
    model = build_model("mlp", (1, 8, 8), 10, hidden=[16], bias=True, init="glorot_uniform")
    assert all(torch.count_nonzero(layer.bias) == 0 for layer in linears(model))


def test_an_unknown_init_is_named():
    with pytest.raises(ValueError, match="'xavier'.*pytorch.*glorot_uniform"):
        build_model("mlp", (1, 8, 8), 10, hidden=[16], init="xavier")


def test_the_schema_allows_exactly_the_inits_of_the_model():
    study = load_schema(SCHEMA)["properties"]["studies"]["properties"]["weight_vs_unit"]
    model_init = study["properties"]["models"]["additionalProperties"]["allOf"][1]["properties"]["init"]["enum"]
    change_init = study["properties"]["protocols"]["properties"]["changes"]["items"]["properties"]["model"][
        "properties"
    ]["init"]["enum"]
    assert model_init == change_init == list(INITS)


def smoke():
    return yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (
            lambda s: s["models"]["mlp"].update(init="xavier"),
            "studies.weight_vs_unit.models.mlp.init: 'xavier' is not one of",
        ),
        (
            lambda s: s["protocols"]["changes"][0]["model"].update(init="he"),
            "studies.weight_vs_unit.protocols.changes.0.model.init",
        ),
        (lambda s: s["protocols"]["changes"][1]["train"].update(epoch=4), "'epoch' was unexpected"),
        (
            lambda s: s["protocols"]["changes"].append({"name": "default", "train": {"epochs": 2}}),
            "protocols.changes.2.name",
        ),
        (
            lambda s: s["protocols"].update(sparsities=[0, 0.5]),
            "protocols.sparsities.0: 0 is less than or equal to the minimum of 0",
        ),
        (lambda s: s["prune"].update(sparsities=[0.5, 0.9]), "studies.weight_vs_unit.prune.sparsities"),
    ],
)
def test_bad_protocol_settings_fail_validation_naming_the_key(edit, fragment):
    config = copy.deepcopy(smoke())
    edit(config["studies"]["weight_vs_unit"])
    with pytest.raises(ConfigError) as error:
        validate_config(config, SCHEMA)
    assert fragment in str(error.value)


def test_each_change_is_a_model_of_its_own_with_its_training_overrides():
    spec = {"arch": "mlp", "hidden": [64], "bias": False, "init": "pytorch"}
    changes = [
        {"name": "glorot_uniform", "model": {"init": "glorot_uniform"}},
        {"name": "epochs20_last", "train": {"epochs": 20, "select": "last"}},
    ]
    models, per_model = protocol_models("mlp", spec, changes)
    assert models == {
        "mlp": spec,
        "mlp_glorot_uniform": {**spec, "init": "glorot_uniform"},
        "mlp_epochs20_last": spec,
    }
    assert per_model == {
        "mlp_glorot_uniform": {"train": {}},
        "mlp_epochs20_last": {"train": {"epochs": 20, "select": "last"}},
    }
    assert protocol_model("mlp", DEFAULT) == "mlp"
    with pytest.raises(ValueError, match="named twice"):
        protocol_models("mlp", spec, changes + changes[:1])


def test_protocol_settings_name_init_epochs_and_selection_with_their_defaults():
    assert protocol_settings({"arch": "mlp"}, {"epochs": 15, "batch_size": 100, "optimizer": "adam", "lr": 0.001}) == {
        "init": "pytorch",
        "epochs": 15,
        "select": "best_val_loss",
    }
    assert protocol_settings({"arch": "mlp", "init": "glorot_uniform"}, {"epochs": 20, "select": "last"}) == {
        "init": "glorot_uniform",
        "epochs": 20,
        "select": "last",
    }


def write_json(path, metrics):
    path.write_text(json.dumps({"metrics": metrics}))
    return str(path)


def test_protocol_table_puts_the_trained_model_at_k_0_of_every_variant(tmp_path):
    settings = {
        DEFAULT: {"init": "pytorch", "epochs": 15, "select": "best_val_loss"},
        "glorot_uniform": {"init": "glorot_uniform", "epochs": 15, "select": "best_val_loss"},
    }
    dense_runs = [
        {"protocol": DEFAULT, "seed": 0},
        {"protocol": DEFAULT, "seed": 1},
        {"protocol": "glorot_uniform", "seed": 0},
    ]
    dense_paths = [
        write_json(
            tmp_path / f"dense{i}.json", {"selected_epoch": 5 + i, "test": {"loss": 0.3, "accuracy": 0.88 + i / 100}}
        )
        for i in range(3)
    ]
    runs, paths = [], []
    for protocol, seed in [(DEFAULT, 0), (DEFAULT, 1), ("glorot_uniform", 0)]:
        for variant in ("weight", "unit"):
            for k in ("0.9", "0.5"):
                runs.append({"protocol": protocol, "seed": seed, "variant": variant, "target": k})
                accuracy = 0.8 if variant == "weight" else 0.4
                paths.append(write_json(tmp_path / f"{len(paths)}.json", {"test": {"loss": 1.0, "accuracy": accuracy}}))
    table = protocol_table(runs, paths, dense_runs, dense_paths, settings)

    assert len(table) == 3 * 2 * 3  # (protocol, seed) x variant x (k = 0 and the two pruned k)
    assert list(table.columns) == [
        "protocol",
        "init",
        "epochs",
        "select",
        "seed",
        "selected_epoch",
        "variant",
        "k_percent",
        "test_loss",
        "test_accuracy",
    ]
    first = table[(table["protocol"] == DEFAULT) & (table["seed"] == 0)]
    assert list(first["variant"]) == ["weight"] * 3 + ["unit"] * 3
    assert list(first["k_percent"]) == [0, 50, 90] * 2
    dense = table[table["k_percent"] == 0]
    assert list(dense["test_accuracy"]) == pytest.approx([0.88, 0.88, 0.89, 0.89, 0.90, 0.90])
    assert set(table[table["protocol"] == "glorot_uniform"]["init"]) == {"glorot_uniform"}
    assert list(table.drop_duplicates(["protocol", "seed"])["selected_epoch"]) == [5, 6, 7]
