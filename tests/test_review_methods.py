"""003's method details in the shipped configs: each a parameter whose value is the papers' (per-layer exceptions of
extended magnitude pruning, the lottery tickets' output-layer rate, the re-initialization, the mask-update
frequency), checked on the configs themselves."""

import math
from pathlib import Path

import pytest
import yaml

from prunebench.pruning.during_training import TrainingPlan
from prunebench.pruning.during_training.gradual import GradualParams

ROOT = Path(__file__).resolve().parents[1]
TRAINING_IMAGES = {"fashion_mnist": 60000, "cifar10": 50000}  # the datasets' training splits


def review(name):
    config = yaml.safe_load((ROOT / name).read_text())
    if name != "config.yaml":  # --configfile merges into the default config; a review section here is complete
        base = yaml.safe_load((ROOT / "config.yaml").read_text())
        base["datasets"].update(config.get("datasets", {}))
        config = {**base, **{k: v for k, v in config.items() if k != "datasets"}, "datasets": base["datasets"]}
    return config, config["studies"]["review"]


def plans(name):
    """(model, variant, TrainingPlan) of every gradual variant of every model of a config's 003 part 1."""
    config, cfg = review(name)
    dataset = cfg["datasets"][0]
    train_size = TRAINING_IMAGES[dataset] - config["datasets"][dataset]["val_size"]
    for model, spec in cfg["models"].items():
        if spec is None:
            continue
        for variant, v in cfg["prune"]["variants"].items():
            if not v["method"].startswith("gradual_"):
                continue
            train = {**cfg["train"], **cfg.get("per_model", {}).get(model, {}).get("train", {})}
            train.update(cfg.get("per_variant", {}).get(variant, {}).get("train", {}))
            n = train_size if train.get("train_subset") is None else min(train["train_subset"], train_size)
            yield model, variant, v, TrainingPlan(n, train["epochs"], train["batch_size"])


@pytest.mark.parametrize("name", ["config.yaml", "configs/paper.yaml"])
def test_gradual_pruning_updates_its_masks_at_least_30_times_over_the_ramp(name):
    seen = 0
    for model, variant, v, plan in plans(name):
        updates = GradualParams(**v["params"]).schedule(0.9, plan).updates
        assert updates >= 30, f"{name}: {model} {variant}: {updates} mask updates"
        seen += 1
    assert seen >= 3


@pytest.mark.parametrize("name", ["config.yaml", "configs/paper.yaml", "configs/smoke.yaml"])
def test_the_method_details_default_to_the_papers_values(name):
    _, cfg = review(name)
    variants = cfg["prune"]["variants"]
    assert variants["extended_magnitude"]["params"]["prune_first_layer"] is False  # State of Sparsity
    others = [v for k, v in variants.items() if k != "extended_magnitude"]
    assert all(v.get("params", {}).get("prune_first_layer", True) for v in others)
    assert cfg["tickets"]["output_rate_factor"] == 0.5  # Frankle & Carbin
    assert cfg["tickets"]["reinit_scaling"] == cfg["scratch"]["reinit_scaling"] == "density"  # Liu et al.
    assert math.isclose(cfg["per_variant"]["extended_magnitude"]["train"]["epochs"], 1.5 * cfg["train"]["epochs"])
