"""002-T2 through the real workflow on a tiny ImageNet folder (real JPEG/PNG files): the study runs when the folder is
given, and is left out, saying so, when it is not."""

import pandas as pd
import pytest
import yaml

from conftest import ROOT, snakemake
from imagenet_folder import write_imagenet

pytestmark = pytest.mark.workflow

STUDY = {
    "datasets": ["imagenet"],
    "models": {"mobilenetv3_small": {"arch": "tv_mobilenet_v3_small", "weights": None, "input_size": None}},
    "seeds": [0],
    "threads": 1,
    "train": {"epochs": 0, "batch_size": 8, "optimizer": "sgd", "lr": 0.1, "select": "last", "train_subset": 12},
    "prune": {
        "layers": "all",
        "sparsities": [0.5],
        "variants": {
            "l1": {"method": "l1_filter", "scope": "local", "params": {"budget_scope": "total"}},
            "ddnp": {"method": "ddnp", "params": {"lam": 4.0, "budget_scope": "total"}},
        },
    },
    "per_model": {"mobilenetv3_small": {"sparsities": [0.245]}},
    "search": {"epochs": 1, "batch_size": 8, "prune_size": 12, "select": "last"},
    "finetune": {
        "epochs": 1,
        "batch_size": 8,
        "optimizer": "sgd",
        "lr": 0.01,
        "momentum": 0.9,
        "select": "last",
        "augment": "resized_crop_flip",
    },
}


def config_with_imagenet(tmp_path, data_dir) -> str:
    config = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())
    config["datasets"]["imagenet"] = {"val_size": 6, "data_dir": data_dir, "options": {"size": 32, "resize": 36}}
    config["studies"]["ddnp_imagenet"] = STUDY
    path = tmp_path / "imagenet.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def test_002_t2_is_built_from_a_local_imagenet_folder(tmp_path):
    data_dir = write_imagenet(tmp_path / "imagenet")
    snakemake(tmp_path, configfile=config_with_imagenet(tmp_path, str(data_dir)), targets=["ddnp_imagenet"])
    table = pd.read_csv(tmp_path / "results/ddnp_imagenet/002-T2_imagenet.csv")
    runs = table[table["source"] == "run here"]
    assert set(runs["method"]) == {"l1_filter", "ddnp"} and set(runs["target_flops_reduction"]) == {0.245}
    assert (runs["flops_reduction_mean"] > 0).all()
    l1 = runs[runs["method"] == "l1_filter"]
    assert (
        l1["flops_reduction_mean"] >= l1["target_flops_reduction"]
    ).all()  # budget_scope total: of the whole network
    for measure in ("top1", "top5"):
        assert runs[f"pruned_{measure}_mean"].between(0, 1).all()
        assert (
            runs[f"delta_{measure}_mean"] - (runs[f"pruned_{measure}_mean"] - runs[f"baseline_{measure}_mean"])
        ).abs().max() < 1e-9
    reported = table[table["source"] == "reported"]
    assert len(reported) == 25 and set(reported["model"]) == {
        "ResNet-34",
        "ResNet-50",
        "MobileNetV2",
        "MobileNetV3-small",
    }
    assert (tmp_path / "results/ddnp_imagenet/002-T2_imagenet.md").read_text().count("\n|") > 25


def test_without_the_folder_the_study_is_left_out_and_the_rest_runs(tmp_path):
    done = snakemake(tmp_path, "--dry-run", configfile=config_with_imagenet(tmp_path, str(tmp_path / "no-imagenet")))
    output = done.stdout + done.stderr
    assert "study ddnp_imagenet is left out of this run: dataset 'imagenet' is not here" in output
    assert "datasets.imagenet.data_dir" in output
    assert "ddnp_imagenet" not in output.replace("study ddnp_imagenet is left out", "")
    assert "ddnp_comparison_table" in output  # the other studies are planned as usual
