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
from prunebench.pruning.iterative import level_masks
from prunebench.studies.latent_kl.claims import all_claims as kl_claims
from prunebench.studies.latent_kl.divergences import run_divergences
from prunebench.studies.latent_kl.tables import collect_runs as collect_kl_runs
from prunebench.studies.latent_kl.tables import rank_correlation_table, summary_table
from prunebench.studies.review.claims_part2 import part2_claims
from prunebench.studies.review.pie import mark_failed, pie_summary, population_failures
from prunebench.studies.review.pie_figure import pie_figure
from prunebench.studies.review.retrain import retrain
from prunebench.studies.review.tickets import collect_scratch, collect_tickets, scratch_table, tickets_table
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
        metrics = {
            "test": {"accuracy": acc},
            "cost": {"size_gzip_bytes": 1000, "nonzero_parameters": 10, "total_parameters": 20},
        }
        return write_json(
            tmp_path / f"{stage}{seed}.json", {"metrics": metrics, **({"failed": failed} if failed else {})}
        )

    pruned = NAN if failed else accuracy - 0.05
    return record(accuracy, "with_head"), record(NAN if failed else accuracy, "unpruned"), record(pruned, "pruned")


def test_a_failed_000_run_empties_its_t1_and_b1_rows_and_leaves_their_claims_not_tested(tmp_path):
    runs = [
        {
            "dataset": "dsprites_small",
            "model": model,
            "arch": "beta_vae_classif",
            "beta": beta,
            "seed": seed,
            "num_classes": 3,
        }
        for model, beta in (("beta_vae_b1", 1.0), ("beta_vae_b4", 4.0))
        for seed in (0, 1)
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
        point: [
            write_json(tmp_path / f"mig_{point}{i}.json", {"metrics": {"mig": 0.1 * i, "per_factor": {"shape": 0.1}}})
            for i in range(4)
        ]
        for point in ("untrained", "with_head", "headless", "pruned")
    }
    accuracy_paths = {point: [f[j] for f in files] for j, point in enumerate(("with_head", "headless", "pruned"))}
    b1 = collect_mig([{**run, "variant": "magnitude", "target": "0.5"} for run in runs], mig_paths, accuracy_paths)
    summary = mig_summary(b1).set_index("beta")
    assert summary.loc[4.0, "failed"] == REASON and math.isnan(summary.loc[4.0, "pruned_test_accuracy_mean"])
    assert summary.loc[1.0, "failed"] == "" and not math.isnan(summary.loc[1.0, "pruned_test_accuracy_mean"])

    verdicts = dis_claims.all_claims(t1, b1)
    assert [c.holds for c in verdicts] == [None] * len(verdicts)
    assert all(REASON in c.observed for c in verdicts)
    finished = dis_claims.all_claims(t1[t1["config_model"] == "beta_vae_b1"], b1[b1["beta"] == 1.0])
    assert not any(REASON in c.observed for c in finished)

    every_run = [dis_run_files(tmp_path, i, 0.9, failed=REASON) for i in range(4)]
    t1 = table_one(collect_runs(runs, *map(list, zip(*every_run))))
    accuracy_paths = {point: [f[j] for f in every_run] for j, point in enumerate(("with_head", "headless", "pruned"))}
    b1 = collect_mig([{**run, "variant": "magnitude", "target": "0.5"} for run in runs], mig_paths, accuracy_paths)
    assert [c.holds for c in dis_claims.all_claims(t1, b1)] == [None] * len(verdicts), "nothing left to decide on"


# --- 003 part 2 -------------------------------------------------------------------------------------------------------

MLP = {"arch": "mlp", "hidden": [16], "input_shape": [1, 8, 8], "num_classes": 3}


def test_a_diverging_retraining_is_recorded_and_raised_when_strict(one_thread):
    data = images(shape=(1, 8, 8))
    torch.manual_seed(0)
    rewind = build_model(**MLP)
    masks = level_masks(rewind, None, 0.5, 1, output_rate_factor=1.0)  # every layer at half its weights
    diverging = {"epochs": 2, "batch_size": 10, "optimizer": "sgd", "lr": 1e10}
    with pytest.raises(TrainingDiverged, match="retrain training: non-finite loss at epoch 1"):
        retrain("rewind", masks, rewind, MLP, data, diverging, seed=0)
    _, _, metrics, failed = retrain("rewind", masks, rewind, MLP, data, diverging, seed=0, record_divergence=True)
    assert re.fullmatch(r"retrain training: non-finite loss at epoch 1, step \d+", failed)
    assert math.isnan(metrics["test"]["accuracy"]) and metrics["sparsity"] == pytest.approx(0.5), (
        "what training does not decide is measured"
    )

    fine = {**diverging, "lr": 0.01, "epochs": 1}
    _, _, metrics, failed = retrain("reinit", masks, rewind, MLP, data, fine, seed=0, failed_before=REASON)
    assert failed == REASON and math.isnan(metrics["val"]["accuracy"]), "masks from a failed run: failed too"
    _, _, metrics, failed = retrain("scratch_b", {}, rewind, MLP, data, fine, seed=0, failed_before=REASON)
    assert failed == REASON and math.isnan(metrics["sparsity"]), "a failed training-time run may have set no mask"
    _, _, metrics, failed = retrain("reinit", masks, rewind, MLP, data, fine, seed=0, record_divergence=True)
    assert failed is None and not math.isnan(metrics["test"]["accuracy"])


def ticket_record(tmp_path, name, accuracy, failed=None):
    accuracy = NAN if failed else accuracy  # as the scripts write a failed run's record
    metrics = {"sparsity": 0.5, "epochs": 2, "test": {"accuracy": accuracy}, "val": {"accuracy": accuracy}}
    return write_json(tmp_path / f"{name}.json", {"metrics": metrics, **({"failed": failed} if failed else {})})


def test_failed_003_part2_runs_empty_their_f2_f6_f7_rows_and_leave_their_claims_not_tested(tmp_path):
    runs = [{"lr": lr, "seed": seed, "schedule": "iterative", "level": 1} for lr in (0.01, 0.1) for seed in (0, 1)]
    failing = {"lr": 0.1, "seed": 1}
    levels = [
        ticket_record(tmp_path, f"level{i}", 0.8, REASON if run.items() >= failing.items() else None)
        for i, run in enumerate(runs)
    ]
    controls = [ticket_record(tmp_path, f"control{i}", 0.7) for i in range(len(runs))]
    dense_runs = [dict(run, schedule="dense", level=0) for run in runs]
    dense = [ticket_record(tmp_path, f"dense{i}", 0.9) for i in range(len(runs))]
    tickets = collect_tickets(runs, levels, controls, dense_runs, dense)
    f2 = tickets_table(tickets)
    failed = f2[(f2["failed"] != "")]
    assert len(failed) == 2 and (failed["failed"] == REASON).all() and failed["test_accuracy_mean"].isna().all()
    assert set(failed["arm"]) == {"winning ticket"} and set(failed["lr"]) == {0.1}, (
        "the iterative level and its one-shot copy"
    )
    assert f2[f2["failed"] == ""]["test_accuracy_mean"].notna().all()

    part1 = pd.DataFrame(
        [
            {
                "model": "mlp",
                "technique": "magnitude",
                "target": 0.5,
                "seed": seed,
                "achieved_sparsity": 0.5,
                "test_accuracy": 85.0,
                "failed": NAN,
            }
            for seed in (0, 1)
        ]
    )
    retrained = [
        {"arm": arm, "target": "0.5", "seed": seed}
        for arm in ("rewind", "reinit", "scratch_b", "random_masks")
        for seed in (0, 1)
    ]
    paths = [ticket_record(tmp_path, f"retrain{i}", 0.8, REASON if i == 5 else None) for i in range(len(retrained))]
    scratch = collect_scratch(part1, "mlp", "magnitude", retrained, paths)
    f6 = scratch_table(scratch).set_index("arm")
    assert f6.loc["scratch-B", "failed"] == REASON and math.isnan(f6.loc["scratch-B", "test_accuracy_mean"])
    assert (
        f6.drop(index="scratch-B")["failed"].eq("").all()
        and f6.drop(index="scratch-B")["test_accuracy_mean"].notna().all()
    )

    labels = torch.tensor([0, 1, 2, 0])
    dense_predictions = torch.tensor([[0, 1, 2, 0], [0, 1, 2, 1]])
    pruned = {0.5: torch.tensor([[0, 1, 2, 0], [0, 1, 2, 0]]), 0.9: torch.tensor([[0, 2, 2, 1], [0, 2, 2, 1]])}
    failures = population_failures([None, None], {0.5: [None, None], 0.9: [None, REASON]})
    counts, pies = pie_summary(dense_predictions, pruned, labels, 3, dense_predictions.flip(0))
    counts = mark_failed(counts, failures, ["sparsity", "models_per_population", "control_models"]).set_index(
        "sparsity"
    )
    assert counts.loc[0.9, "failed"] == REASON and counts.loc[0.9, ["pie_count", "pruned_accuracy_pie"]].isna().all()
    assert counts.loc[0.5, "failed"] == "" and counts.loc[0.5, "pie_count"] == 0
    assert population_failures([REASON, None], {0.5: [None]}) == {0.5: REASON}, (
        "a failed dense model fails every sparsity"
    )
    classes = pd.DataFrame(
        {"sparsity": [0.5, 0.9], "class": ["a", "a"], "change": [1.0, 2.0], "significant": [True, True]}
    )
    classes = mark_failed(classes, failures, ["sparsity", "class"])
    pie_figure(
        torch.zeros(4, 1, 8, 8, dtype=torch.uint8),
        pies[pies["sparsity"] == 0.5],
        counts.reset_index(),
        classes,
        ["a"],
        4,
        "mlp",
    )

    histories = {"tickets": {}, "scratch": [], "pie": []}
    verdicts = part2_claims(tickets, scratch, counts.reset_index(), histories)
    assert [c.holds for c in verdicts] == [None] * 5 and all(REASON in c.observed for c in verdicts)
    finished = part2_claims(
        tickets[tickets["failed"] == ""], scratch[scratch["failed"] == ""], counts.reset_index().iloc[:1], histories
    )
    assert not any(REASON in c.observed for c in finished)
    every_count = counts.reset_index().assign(
        failed=REASON, pie_count=NAN, dense_accuracy_pie=NAN, pruned_accuracy_pie=NAN
    )
    every_run = part2_claims(
        tickets.assign(failed=REASON, test_accuracy=NAN),
        scratch.assign(failed=REASON, test_accuracy=NAN),
        every_count,
        histories,
    )
    assert [c.holds for c in every_run] == [None] * 5, "nothing left to decide on"


# --- 001 --------------------------------------------------------------------------------------------------------------


def kl_run(seed, failed=None):
    """One dense run of 001 (test_latent_kl's synthetic study), `failed`: {(variant, sparsity): reason}."""
    g = torch.Generator().manual_seed(seed)
    dense = torch.randn(10, 20, generator=g)
    pruned = []
    for variant, shift in (("lowest", 0.01), ("random", 0.1)):
        for sparsity in (0.3, 0.8):
            weights = [dense + shift * sparsity * (1 + e) * torch.ones_like(dense) for e in range(3)]
            accuracy = [0.9 - shift * sparsity * (1 + e) / 10 for e in range(3)]
            history = pd.DataFrame(
                {"epoch": [0, 1, 2], "test_eval_accuracy": accuracy, "train_eval_accuracy": accuracy}
            )
            if (variant, sparsity) in (failed or {}):  # its history and snapshots stop before the diverging epoch
                history, weights = history.iloc[:1], weights[:1]
            pruned.append((variant, sparsity, history, {"classifier.out.weight": weights}))
    reference = {"test": 0.9, "train": 0.95, "test_images": 100, "train_images": 50}
    student_t = {"df": 4.0, "dims": 10, "samples": 500, "seed": 0}
    return run_divergences(
        {"classifier.out.weight": dense}, reference, pruned, {"rho": 0.5, "scale": 1.0}, student_t, seed, failed, 2
    )


def test_a_failed_001_fine_tuning_stays_out_of_the_seed_means_and_correlations_and_leaves_the_claims_not_tested(
    tmp_path,
):
    finished = kl_run(0)
    failed = kl_run(1, {("random", 0.8): REASON})
    chain = failed[(failed["variant"] == "random") & (failed["sparsity"] == 0.8)]
    assert list(chain["epoch"]) == [0, 1, 2] and (chain["failed"] == REASON).all(), "every epoch of the chain, failed"
    assert chain[["ap2", "ap3_student_t", "pd_test", "test_accuracy"]].isna().all().all()
    assert failed.drop(chain.index)[["ap2", "ap3_student_t", "pd_test"]].notna().all().all()
    assert (failed.drop(chain.index)["failed"] == "").all()

    paths = []
    for seed, frame in enumerate((finished, failed)):
        frame.to_csv(tmp_path / f"run{seed}.csv", index=False)
        paths.append(str(tmp_path / f"run{seed}.csv"))
    runs = collect_kl_runs([{"dataset": "d", "model": "m"}] * 2, paths)
    summary = summary_table(runs)
    cell = summary[(summary["variant"] == "random") & (summary["sparsity"] == 0.8)]
    assert (cell["failed"] == REASON).all() and cell["pd_test_mean"].isna().all() and cell["ap2_mean"].isna().all()
    assert summary.drop(cell.index)["pd_test_mean"].notna().all() and (summary.drop(cell.index)["failed"] == "").all()
    rank = rank_correlation_table(summary, runs, {"m": {"arch": "small_cnn"}})
    assert (rank["failed"] == REASON).all() and rank["spearman"].isna().all() and rank["chains"].eq(4).all()

    verdicts = kl_claims(summary, rank)
    assert [c.holds for c in verdicts] == [None] * len(verdicts) and all(REASON in c.observed for c in verdicts)
    every_chain = {(variant, sparsity): REASON for variant in ("lowest", "random") for sparsity in (0.3, 0.8)}
    dense_failed = pd.concat([kl_run(0, every_chain), kl_run(1, every_chain)]).assign(dataset="d", model="m")
    dense_summary = summary_table(dense_failed)
    assert [
        c.holds for c in kl_claims(dense_summary, rank_correlation_table(dense_summary, dense_failed, {"m": {}}))
    ] == [None] * len(verdicts)
    clean = summary_table(collect_kl_runs([{"dataset": "d", "model": "m"}], paths[:1]))
    assert not any(
        c.observed.startswith("not tested")
        for c in kl_claims(clean, rank_correlation_table(clean, runs[runs["seed"] == 0], {"m": {"arch": "small_cnn"}}))
    )
