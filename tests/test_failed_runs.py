"""A diverging run in the study-specific stages: recorded as failed (raised with `strict: true`), its reason in the
tables, its group's means empty, and the claims decided on it not tested."""
import json
import math
import re

import pandas as pd
import pytest
import torch

from prunebench.data import PreparedData
from prunebench.models import build_model
from prunebench.studies.disentangle import claims as dis_claims
from prunebench.studies.disentangle.protocol import headless_phase
from prunebench.studies.disentangle.tables import collect_mig, collect_runs, display_sections, mig_summary, table_one
from prunebench.training import TrainConfig, TrainingDiverged

REASON = "finetune training: non-finite loss at epoch 1, step 3"
NAN = float("nan")


def write_json(path, record) -> str:
    path.write_text(json.dumps(record))
    return str(path)


def images(n=90, shape=(1, 28, 28), classes=3):
    generator = torch.Generator().manual_seed(0)
    x = torch.randint(0, 256, (n, *shape), dtype=torch.uint8, generator=generator)
    y = torch.randint(0, classes, (n,), generator=generator)
    return PreparedData(x[:30], y[:30], x[30:60], y[30:60], x[60:], y[60:], [str(c) for c in range(classes)], "random")


# --- 000 --------------------------------------------------------------------------------------------------------------


def test_a_diverging_headless_phase_is_recorded_and_raised_when_strict(one_thread):
    data, diverging = images(), TrainConfig(epochs=2, batch_size=10, optimizer="sgd", lr=1e10)
    spec = {"arch": "beta_vae_classif", "beta": 1.0, "input_shape": [1, 28, 28], "num_classes": 3}
    torch.manual_seed(0)
    model = build_model(**spec)
    start = {name: p.clone() for name, p in model.state_dict().items()}
    with pytest.raises(TrainingDiverged, match="headless training: non-finite loss at epoch 1"):
        headless_phase(model, spec, data, diverging, seed=0, keep_kl=True)
    model.load_state_dict(start)
    result, headless_spec = headless_phase(model, spec, data, diverging, seed=0, keep_kl=True, record_divergence=True)
    assert re.fullmatch(r"headless training: non-finite loss at epoch 1, step \d+", result.failed)
    assert headless_spec["decoder"] is False and result.selected_epoch == 0
    assert all(torch.isfinite(p).all() for p in result.model.parameters()), "the weights from before the divergence"


def dis_run_files(tmp_path, seed, accuracy, failed=None):
    def record(acc, stage):
        metrics = {"test": {"accuracy": acc}, "cost": {"size_gzip_bytes": 1000, "nonzero_parameters": 10, "total_parameters": 20}}
        return write_json(tmp_path / f"{stage}{seed}.json", {"metrics": metrics, **({"failed": failed} if failed else {})})

    pruned = NAN if failed else accuracy - 0.05
    return record(accuracy, "with_head"), record(NAN if failed else accuracy, "unpruned"), record(pruned, "pruned")


def test_a_failed_000_run_empties_its_t1_and_b1_rows_and_leaves_their_claims_not_tested(tmp_path):
    runs = [
        {"dataset": "dsprites_small", "model": model, "arch": "beta_vae_classif", "beta": beta, "seed": seed, "num_classes": 3}
        for model, beta in (("beta_vae_b1", 1.0), ("beta_vae_b4", 4.0)) for seed in (0, 1)
    ]
    files = [dis_run_files(tmp_path, i, 0.9, failed=REASON if i == 3 else None) for i in range(4)]
    t1 = table_one(collect_runs(runs, *map(list, zip(*files))))
    failed = t1[t1["config_model"] == "beta_vae_b4"]
    assert (failed["failed"] == REASON).all() and failed["accuracy_mean"].isna().all()
    assert failed["with_head_accuracy_mean"].notna().all(), "the first phase of the failed run finished"
    assert (t1[t1["config_model"] == "beta_vae_b1"]["failed"] == "").all() and t1["accuracy_mean"].notna().sum() == 2
    shown = display_sections(t1)["dsprites_small"]
    assert (shown["Acc. (%)"].iloc[2:] == "").all() and (shown["Failed"].iloc[2:] == REASON).all()

    mig_paths = {
        point: [write_json(tmp_path / f"mig_{point}{i}.json", {"metrics": {"mig": 0.1 * i, "per_factor": {"shape": 0.1}}}) for i in range(4)]
        for point in ("untrained", "with_head", "headless", "pruned")
    }
    accuracy_paths = {point: [f[j] for f in files] for j, point in enumerate(("with_head", "headless", "pruned"))}
    b1 = collect_mig([{**run, "variant": "magnitude", "sparsity": "0.5"} for run in runs], mig_paths, accuracy_paths)
    summary = mig_summary(b1).set_index("beta")
    assert summary.loc[4.0, "failed"] == REASON and math.isnan(summary.loc[4.0, "pruned_test_accuracy_mean"])
    assert summary.loc[1.0, "failed"] == "" and not math.isnan(summary.loc[1.0, "pruned_test_accuracy_mean"])

    verdicts = dis_claims.all_claims(t1, b1)
    assert [c.holds for c in verdicts] == [None] * len(verdicts)
    assert all(REASON in c.observed for c in verdicts)
    finished = dis_claims.all_claims(t1[t1["config_model"] == "beta_vae_b1"], b1[b1["beta"] == 1.0])
    assert not any(REASON in c.observed for c in finished)
