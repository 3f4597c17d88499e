"""A pruning method from outside the repository: tests/plugin_pkg declares one (`layer_normalized`) as an entry point
of group `prunebench.methods`. Installed with pip (offline, into a temporary folder on PYTHONPATH), it is registered
under that name, a config's variant names it, and the workflow prunes and evaluates with it; nothing here is edited."""

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest
import torch
import yaml

from conftest import ROOT, snakemake
from prunebench.models import load_checkpoint
from prunebench.pruning import PRUNING_METHODS, PruningMethod, load_masks
from prunebench.pruning.methods import method_problem
from prunebench.registry import Registry

METHOD = "layer_normalized"
STUDY = "weight_vs_unit"
VARIANT = "normalized"
RUN = f"{STUDY}/runs/digits/mlp/seed0"
TARGET = f"{RUN}/{VARIANT}/sparsity0.5/evaluation.json"


@pytest.fixture(scope="module")
def plugin_env(tmp_path_factory):
    """The environment of a process that has the example package installed (built from a copy, so nothing is written
    under tests/)."""
    tmp = tmp_path_factory.mktemp("plugin")
    source = shutil.copytree(ROOT / "tests/plugin_pkg", tmp / "source")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--target",
            str(tmp / "site"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    path = [str(tmp / "site"), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def plugin_config(path, params: dict) -> str:
    """configs/smoke.yaml with one more 004 variant, of the example method (global scope: its normalization matters)."""
    config = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())
    variant = {"method": METHOD, "scope": "global", "params": params}
    config["studies"][STUDY]["prune"]["variants"][VARIANT] = variant
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return str(path)


def test_an_installed_method_is_registered_under_its_entry_point_name(plugin_env):
    assert METHOD not in PRUNING_METHODS, "only where its package is installed"
    code = "from prunebench.pruning import PRUNING_METHODS as M; print(M.names()); print(M['layer_normalized'].family)"
    done = subprocess.run([sys.executable, "-c", code], env=plugin_env, capture_output=True, text=True, check=True)
    names, family = done.stdout.splitlines()
    assert eval(names) == sorted(PRUNING_METHODS.names() + [METHOD])
    assert family == "criterion"


@pytest.mark.workflow
def test_a_config_naming_it_prunes_and_evaluates_through_the_workflow(plugin_env, tmp_path):
    config = plugin_config(tmp_path / "plugin.yaml", {"statistic": "max"})
    snakemake(tmp_path, "--configfile", config, env=plugin_env, targets=[str(tmp_path / "results" / TARGET)])
    results = tmp_path / "results"
    evaluation = json.loads((results / TARGET).read_text())
    assert 0 <= evaluation["metrics"]["test"]["accuracy"] <= 1
    model, _ = load_checkpoint(results / RUN / "dense/model.pt")
    masks = load_masks(results / RUN / VARIANT / "sparsity0.5/masks.pt")
    weights = dict(model.named_parameters())
    # Global pruning by |w| / max |w| of each layer: every pruned weight scores at most every kept one.
    scores = {name: (weights[name].abs() / weights[name].abs().max()).detach() for name in masks}
    pruned = torch.cat([scores[name][masks[name] == 0] for name in masks])
    kept = torch.cat([scores[name][masks[name] == 1] for name in masks])
    assert len(pruned) == round(0.5 * (len(pruned) + len(kept)))
    assert pruned.max() <= kept.min()
    raw = torch.cat([weights[name].abs().flatten().detach() for name in masks])
    assert raw[torch.cat([masks[name].flatten() for name in masks]) == 0].max() > raw.median(), (
        "the layers' scales differ: plain global magnitude pruning would have chosen other weights"
    )


@pytest.mark.workflow
def test_an_unknown_method_or_parameter_is_named_before_any_job_runs(plugin_env, tmp_path):
    config = plugin_config(tmp_path / "unknown.yaml", {"statistic": "max"})
    done = snakemake(tmp_path, "--configfile", config, "--dry-run", check=False)  # the package is not installed here
    assert done.returncode == 1
    assert f"config key studies.{STUDY}.prune.variants.{VARIANT}.method: '{METHOD}' is not one of" in done.stderr
    config = plugin_config(tmp_path / "bad_param.yaml", {"statistic": "median"})
    done = snakemake(tmp_path, "--configfile", config, "--dry-run", check=False, env=plugin_env)
    assert done.returncode == 1
    assert (
        f"config key studies.{STUDY}.prune.variants.{VARIANT}.params.statistic: 'median' is not one of" in done.stderr
    )
    assert not (tmp_path / "results").exists()


class IterativeMethod(PruningMethod):
    family = "iterative"  # not a family the workflow routes


class BlockMethod(PruningMethod):
    structure = "block"  # no target measure: its runs would have no path


def installed(monkeypatch, *entries: EntryPoint) -> Registry:
    """A method registry whose entry point group holds `entries` (as if installed), with `lowest` registered here."""
    monkeypatch.setattr("prunebench.registry.entry_points", lambda group: [e for e in entries if e.group == group])
    registry = Registry("pruning method", entry_point_group="test.methods", check=method_problem)
    registry.register("lowest")(PruningMethod)
    return registry


def test_an_entry_point_that_is_no_method_of_a_known_family_or_takes_a_known_name_is_an_error_naming_it(monkeypatch):
    registry = installed(monkeypatch, EntryPoint("not_a_method", "collections:OrderedDict", "test.methods"))
    with pytest.raises(TypeError, match=r"'not_a_method' \(entry point 'collections:OrderedDict'.*not a subclass"):
        registry.names()
    registry = installed(monkeypatch, EntryPoint("chained", "test_method_plugins:IterativeMethod", "test.methods"))
    with pytest.raises(TypeError, match=r"'chained' .* family 'iterative' is not one of \['criterion'"):
        registry["chained"]
    registry = installed(monkeypatch, EntryPoint("blocks", "test_method_plugins:BlockMethod", "test.methods"))
    with pytest.raises(TypeError, match=r"'blocks' .* structure 'block' is not one of \['weight', 'unit', 'channel'\]"):
        registry["blocks"]
    registry = installed(monkeypatch, EntryPoint("lowest", "prunebench.pruning:PruningMethod", "test.methods"))
    with pytest.raises(ValueError, match="'lowest' .* already registered"):
        registry["lowest"]
