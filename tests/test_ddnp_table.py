"""002-T1: runs beside the document's reported Table 1."""

import json

import pandas as pd
import pytest

from prunebench.config import ConfigError, validate_config
from prunebench.studies.ddnp.claims import all_claims, ddnp_beats_dp, ddnp_within_reported_range
from prunebench.studies.ddnp.reported import TABLE2, load_reported
from prunebench.studies.ddnp.tables import comparison_table, imagenet_table, run_rows
from conftest import ROOT


def test_the_reported_rows_are_the_documents_table_1():
    reported = load_reported()
    assert set(reported["method"]) == {"AMC", "DCP", "CCP", "HRank", "LeGR", "MDP", "SCOP", "Uniform", "DDNP"}
    assert len(reported) == 11 and reported["source"].str.contains("Disentangled Differentiable Network Pruning").all()
    ddnp = reported[reported["method"] == "DDNP"].set_index("model")
    assert (
        ddnp.loc["ResNet-56", "delta_accuracy"] == pytest.approx(0.0021)
        and ddnp.loc["MobileNetV2", "flops_reduction"] == 0.43
    )
    # each printed delta is pruned - baseline
    assert (reported["pruned_accuracy"] - reported["baseline_accuracy"] - reported["delta_accuracy"]).abs().max() < 1e-9


def write_run(tmp_path, seed, dense_accuracy, pruned_accuracy, slimmed_flops, top5=(1.0, 1.0)):
    folder = tmp_path / f"seed{seed}"
    folder.mkdir()
    (folder / "dense.json").write_text(
        json.dumps({"metrics": {"test": {"accuracy": dense_accuracy, "top5_accuracy": top5[0]}}})
    )
    timing = {"latency": {"threads": 1, "batch1": {"median_ms": 1.0}, "batch64": {"median_ms": 8.0}}}
    metrics = {"test": {"accuracy": pruned_accuracy, "top5_accuracy": top5[1]}, "cost": {"slimmed_parameters": 1000}}
    (folder / "evaluation.json").write_text(json.dumps({"metrics": metrics, "timing": timing}))
    (folder / "slimmed.json").write_text(
        json.dumps({"slimming": {"dense_flops": 200, "slimmed_flops": slimmed_flops, "fixed_flops": 40}})
    )
    return [str(folder / name) for name in ("dense.json", "evaluation.json", "slimmed.json")]


def test_runs_are_averaged_over_seeds_and_labelled_beside_the_reported_rows(tmp_path):
    runs, files = [], []
    for seed, (dense, pruned, flops) in enumerate([(0.90, 0.88, 100), (0.92, 0.88, 96)]):
        runs.append(
            {
                "dataset": "fashion_mnist",
                "model": "resnet20",
                "method": "l1_filter",
                "variant": "l1",
                "target": "0.5",
                "seed": seed,
            }
        )
        files.append(write_run(tmp_path, seed, dense, pruned, flops))
    rows = run_rows(runs, *zip(*files))
    table = comparison_table(rows, load_reported())
    mine = table[table["source"] == "run here"].iloc[0]
    assert mine["delta_accuracy_mean"] == pytest.approx(-0.03) and mine["flops_reduction_mean"] == pytest.approx(0.51)
    assert mine["prunable_flops_reduction_mean"] == pytest.approx((100 / 160 + 104 / 160) / 2)
    assert mine["n_seeds"] == 2 and mine["latency_batch64_ms_mean"] == 8.0
    reported = table[table["source"] == "reported"]
    assert len(reported) == 11 and reported["latency_batch1_ms_mean"].isna().all()


def test_the_imagenet_table_has_top1_and_top5_beside_table_2(tmp_path):
    runs = [
        {
            "dataset": "imagenet",
            "model": "resnet34",
            "method": "ddnp",
            "variant": "ddnp",
            "target": "0.442",
            "seed": 0,
        }
    ]
    files = [write_run(tmp_path, 0, 0.7331, 0.7303, 100, top5=(0.9142, 0.9123))]
    table = imagenet_table(run_rows(runs, *zip(*files)), load_reported(TABLE2))
    mine = table[table["source"] == "run here"].iloc[0]
    assert mine["baseline_top1_mean"] == 0.7331 and mine["delta_top1_mean"] == pytest.approx(-0.0028)
    assert mine["delta_top5_mean"] == pytest.approx(-0.0019) and mine["flops_reduction_mean"] == pytest.approx(0.5)
    reported = table[table["source"] == "reported"].set_index(["model", "method"])
    assert len(reported) == 25
    assert reported.loc[("ResNet-34", "DDNP"), "delta_top1_mean"] == pytest.approx(-0.0028)
    assert reported.loc[("ResNet-34", "IE"), ["baseline_top5_mean", "slimmed_parameters_mean"]].isna().all()


def test_a_variant_that_does_not_prune_channels_is_named():
    import yaml

    config = yaml.safe_load((ROOT / "configs/smoke.yaml").read_text())
    config["studies"]["ddnp"]["prune"]["variants"]["weight"] = {"method": "lowest"}
    with pytest.raises(
        ConfigError, match="studies.ddnp.prune.variants.weight.method: 'lowest' does not prune channels"
    ):
        validate_config(config, ROOT / "workflow/schemas/config.schema.yaml")


def claims_table(rows):
    frame = pd.DataFrame(rows)
    return pd.concat(
        [
            frame.assign(source="run here"),
            load_reported().rename(columns={"delta_accuracy": "delta_accuracy_mean"}).assign(source="reported"),
        ]
    )


def run(method, reduction, accuracy, delta=0.0):
    return {
        "dataset": "fashion_mnist",
        "model": "resnet20",
        "method": method,
        "target_flops_reduction": reduction,
        "pruned_accuracy_mean": accuracy,
        "delta_accuracy_mean": delta,
        "flops_reduction_mean": reduction,
    }


def test_claims_are_not_tested_without_the_search_methods_runs():
    claims = all_claims(claims_table([run("l1_filter", 0.5, 0.9)]))
    assert [c.holds for c in claims] == [None] * 5 and "no runs of ddnp" in claims[1].observed
    assert all("no searches of" in c.observed for c in claims[2:])


def test_ddnp_beats_dp_most_at_the_higher_rate():
    rows = [run("ddnp", 0.5, 0.90), run("dp", 0.5, 0.89), run("ddnp", 0.65, 0.88), run("dp", 0.65, 0.85)]
    assert ddnp_beats_dp(claims_table(rows)).holds is True
    rows[3] = run("dp", 0.65, 0.8795)
    assert ddnp_beats_dp(claims_table(rows)).holds is False


def test_ddnp_delta_is_compared_with_the_lowest_reported_delta():
    assert ddnp_within_reported_range(claims_table([run("ddnp", 0.5, 0.9, delta=-0.005)])).holds is True
    assert ddnp_within_reported_range(claims_table([run("ddnp", 0.5, 0.9, delta=-0.02)])).holds is False


def test_a_failed_run_empties_its_row_and_leaves_the_t1_claims_not_tested(tmp_path):
    runs, files = [], []
    for seed, method in enumerate(["ddnp", "ddnp", "dp"]):
        runs.append(
            {
                "dataset": "digits",
                "model": "resnet20",
                "method": method,
                "variant": method,
                "target": "0.5",
                "seed": seed,
            }
        )
        files.append(write_run(tmp_path, seed, 0.9, 0.85, 100))
    failed = json.loads(open(files[1][1]).read())
    failed["failed"] = "finetune training: non-finite loss at epoch 1, step 3"
    failed["metrics"]["test"]["accuracy"] = float("nan")
    open(files[1][1], "w").write(json.dumps(failed))
    table = comparison_table(run_rows(runs, *zip(*files)), load_reported())
    ddnp = table[(table["source"] == "run here") & (table["method"] == "ddnp")].iloc[0]
    assert pd.isna(ddnp["pruned_accuracy_mean"]) and ddnp["failed"] == failed["failed"]
    assert table[(table["source"] == "run here") & (table["method"] == "dp")].iloc[0]["failed"] == ""
    claims = all_claims(table)
    assert [c.holds for c in claims[:2]] == [None, None]
    assert all(failed["failed"] in c.observed for c in claims[:2])
