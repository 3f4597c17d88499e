"""001 per run: AP2, AP3 (Gaussian, Student-T) and PD for every (method, sparsity, fine-tuning epoch)."""

from __future__ import annotations

import logging
import math

import pandas as pd
import torch
from torch import nn

from prunebench.data import PreparedData
from prunebench.determinism import Stream, derived_seed
from prunebench.divergence import StudentTKL, ap2, gaussian_kl_ar1, group_mean
from prunebench.training import TrainConfig, evaluate, split_images

log = logging.getLogger(__name__)

SPLITS = ("test", "train")  # the splits PD is measured on


def dense_reference(model: nn.Module, data: PreparedData, finetune: TrainConfig) -> dict:
    """The dense model's accuracies PD compares the pruned model's with, on the very images the fine-tuning
    measures the pruned model on (`split_images(data, split, finetune)`, as the training loop's tracked splits):
    the test split, and the fine-tuning's training images, the first finetune.train_subset of the training split.
    Those are among the dense training's own first train.train_subset images (the config check keeps
    finetune.train_subset <= train.train_subset), so PD on the train set compares two models on images both were
    trained on. Returns {"test": accuracy, "train": accuracy, "test_images": count, "train_images": count}."""
    reference = {}
    for split in SPLITS:
        x, y = split_images(data, split, finetune)
        reference[split] = evaluate(model, x, y)["accuracy"]
        reference[f"{split}_images"] = len(y)
    return reference


def last_layer_weights(snapshots: dict[str, list[torch.Tensor]]) -> tuple[str, list[torch.Tensor]]:
    """The one pruned layer of a fine-tuning snapshot file: (parameter name, weights after each epoch)."""
    if len(snapshots) != 1:
        raise ValueError(f"001 prunes exactly one (the last) layer; the snapshots hold {sorted(snapshots)}")
    return next(iter(snapshots.items()))


def run_divergences(
    dense_state: dict[str, torch.Tensor],
    reference: dict,
    pruned: list[tuple[str, float, pd.DataFrame, dict[str, list[torch.Tensor]]]],
    gaussian: dict,
    student_t: dict,
    seed: int,
    failed: dict[tuple[str, float], str] | None = None,
    finetune_epochs: int | None = None,
) -> pd.DataFrame:
    """One row per (variant, sparsity, epoch) of one dense run.

    `reference`: the dense model's accuracies from `dense_reference` (on the fine-tuning's images).
    `pruned`: (variant, sparsity, fine-tuning history with test/train_eval_accuracy, weight snapshots) each.
    PD(epoch) = |accuracy of the dense model - accuracy of the pruned model after `epoch` fine-tuning epochs|
    on the test split and on the fine-tuning's training images (epoch 0: right after pruning); the image counts
    are columns. The divergences compare the dense last layer with the pruned one at that epoch, KL(P_dense ||
    P_pruned):
    - ap2: ||w - w_pruned||^2;
    - ap2_grouped: ||g(w) - g(w_pruned)||^2 with g the means of the `dims` groups of consecutive weights (student_t):
      the distance AP3 Student-T sees (with one df and the identity scale, its KL is an increasing function of it);
    - ap3_gaussian: KL of Gaussians centred on the weight vectors, shared AR(1) covariance (gaussian: rho, scale);
    - ap3_student_t (+ _se): Monte-Carlo KL of Student-T (student_t: df, dims, samples, seed) centred on the
      grouped weights g(w), identity scale; the same standardized samples serve every value of the run (common
      random numbers, see prunebench.divergence.student_t).
    `failed`: {(variant, sparsity): why its fine-tuning (or the dense training) failed}; such a chain has a row for
    each of the `finetune_epochs` + 1 epochs, with its reason in `failed` and no divergence, accuracy or PD (its
    history stops where it diverged): a seed mean over it is missing, never the mean of the seeds that survived.
    """
    failed = failed or {}
    layers = {last_layer_weights(snapshots)[0] for _, _, _, snapshots in pruned}
    if len(layers) != 1:
        raise ValueError(f"the pruned variants of one run must prune the same layer, got {sorted(layers)}")
    name = layers.pop()
    dense = dense_state[name]
    mu_dense = group_mean(dense, student_t["dims"])
    rows, grouped = [], []
    for variant, sparsity, history, snapshots in pruned:
        if (reason := failed.get((variant, sparsity))) is not None:
            rows += [
                unmeasured_row(variant, sparsity, seed, epoch, name, reference, reason)
                for epoch in range(finetune_epochs + 1)
            ]
            continue
        _, epochs = last_layer_weights(snapshots)
        history = history.set_index("epoch")
        if len(history) != len(epochs):
            raise ValueError(f"{variant} at {sparsity}: {len(history)} history rows but {len(epochs)} weight snapshots")
        for epoch, weights in enumerate(epochs):
            mu = group_mean(weights, student_t["dims"])
            row = {
                "variant": variant,
                "sparsity": sparsity,
                "seed": seed,
                "epoch": epoch,
                "layer": name,
                "failed": "",
                "ap2": ap2(dense, weights),
                "ap2_grouped": ap2(mu_dense, mu),
                "ap3_gaussian": gaussian_kl_ar1(dense, weights, gaussian["rho"], gaussian["scale"]),
            }
            for split in SPLITS:
                accuracy = float(history.loc[epoch, f"{split}_eval_accuracy"])
                row.update(
                    {
                        f"{split}_accuracy": accuracy,
                        f"dense_{split}_accuracy": reference[split],
                        f"pd_{split}": abs(reference[split] - accuracy),
                        f"{split}_images": reference[f"{split}_images"],
                    }
                )
            rows.append(row)
            grouped.append(mu)
    frame = pd.DataFrame(rows)
    estimator = StudentTKL(
        student_t["dims"],
        student_t["df"],
        student_t["samples"],
        seed=derived_seed(seed, Stream.MONTE_CARLO, student_t["seed"]),
    )
    estimates = iter(estimator.estimate_many(mu_dense, torch.stack(grouped)) if grouped else [])
    measured = (frame["failed"] == "").to_numpy()
    values = [next(estimates) if row_measured else (math.nan, math.nan) for row_measured in measured]
    frame.insert(frame.columns.get_loc("ap3_gaussian") + 1, "ap3_student_t", [v for v, _ in values])
    frame.insert(frame.columns.get_loc("ap3_student_t") + 1, "ap3_student_t_se", [s for _, s in values])
    log.info(
        "%d values (%d of failed runs); Student-T with %d samples in %d dims",
        len(frame),
        int((~measured).sum()),
        student_t["samples"],
        student_t["dims"],
    )
    return frame


def unmeasured_row(
    variant: str, sparsity: float, seed: int, epoch: int, layer: str, reference: dict, reason: str
) -> dict:
    """A failed chain's row at `epoch`: its keys, the image counts, the reason; no divergence, accuracy or PD."""
    row = {"variant": variant, "sparsity": sparsity, "seed": seed, "epoch": epoch, "layer": layer, "failed": reason}
    row.update({"ap2": math.nan, "ap2_grouped": math.nan, "ap3_gaussian": math.nan})
    for split in SPLITS:
        row.update(
            {
                f"{split}_accuracy": math.nan,
                f"dense_{split}_accuracy": reference[split],
                f"pd_{split}": math.nan,
                f"{split}_images": reference[f"{split}_images"],
            }
        )
    return row
