"""001 per run: AP2, AP3 (Gaussian, Student-T) and PD for every (method, sparsity, fine-tuning epoch)."""
from __future__ import annotations

import logging

import pandas as pd
import torch

from prunebench.determinism import Stream, derived_seed
from prunebench.divergence import StudentTKL, ap2, gaussian_kl_ar1, group_mean

log = logging.getLogger(__name__)


def last_layer_weights(snapshots: dict[str, list[torch.Tensor]]) -> tuple[str, list[torch.Tensor]]:
    """The one pruned layer of a fine-tuning snapshot file: (parameter name, weights after each epoch)."""
    if len(snapshots) != 1:
        raise ValueError(f"001 prunes exactly one (the last) layer; the snapshots hold {sorted(snapshots)}")
    return next(iter(snapshots.items()))


def run_divergences(
    dense_state: dict[str, torch.Tensor],
    dense_metrics: dict,
    pruned: list[tuple[str, float, pd.DataFrame, dict[str, list[torch.Tensor]]]],
    gaussian: dict,
    student_t: dict,
    seed: int,
) -> pd.DataFrame:
    """One row per (variant, sparsity, epoch) of one dense run.

    `pruned`: (variant, sparsity, fine-tuning history with test/train_eval_accuracy, weight snapshots) each.
    PD(epoch) = |accuracy of the dense model - accuracy of the pruned model after `epoch` fine-tuning epochs|
    on the test and on the training split (epoch 0: right after pruning). The divergences compare the dense last
    layer with the pruned one at that epoch, KL(P_dense || P_pruned):
    - ap2: ||w - w_pruned||^2;
    - ap3_gaussian: KL of Gaussians centred on the weight vectors, shared AR(1) covariance (gaussian: rho, scale);
    - ap3_student_t (+ _se): Monte-Carlo KL of Student-T (student_t: df, dims, samples, seed) centred on the
      weights averaged over `dims` groups of consecutive weights, identity scale; the same standardized samples
      serve every value of the run (common random numbers, see prunebench.divergence.student_t).
    """
    dense_acc = {split: dense_metrics[split]["accuracy"] for split in ("test", "train")}
    layers = {last_layer_weights(snapshots)[0] for _, _, _, snapshots in pruned}
    if len(layers) != 1:
        raise ValueError(f"the pruned variants of one run must prune the same layer, got {sorted(layers)}")
    name = layers.pop()
    dense = dense_state[name]
    rows, grouped = [], []
    for variant, sparsity, history, snapshots in pruned:
        _, epochs = last_layer_weights(snapshots)
        history = history.set_index("epoch")
        if len(history) != len(epochs):
            raise ValueError(f"{variant} at {sparsity}: {len(history)} history rows but {len(epochs)} weight snapshots")
        for epoch, weights in enumerate(epochs):
            test_acc, train_acc = history.loc[epoch, "test_eval_accuracy"], history.loc[epoch, "train_eval_accuracy"]
            rows.append(
                {
                    "variant": variant, "sparsity": sparsity, "seed": seed, "epoch": epoch, "layer": name,
                    "ap2": ap2(dense, weights),
                    "ap3_gaussian": gaussian_kl_ar1(dense, weights, gaussian["rho"], gaussian["scale"]),
                    "test_accuracy": float(test_acc), "train_accuracy": float(train_acc),
                    "dense_test_accuracy": dense_acc["test"], "dense_train_accuracy": dense_acc["train"],
                    "pd_test": abs(dense_acc["test"] - float(test_acc)), "pd_train": abs(dense_acc["train"] - float(train_acc)),
                }
            )
            grouped.append(group_mean(weights, student_t["dims"]))
    frame = pd.DataFrame(rows)
    estimator = StudentTKL(student_t["dims"], student_t["df"], student_t["samples"], seed=derived_seed(seed, Stream.MONTE_CARLO, student_t["seed"]))
    mu_dense = group_mean(dense, student_t["dims"])
    estimates = estimator.estimate_many(mu_dense, torch.stack(grouped))
    frame.insert(frame.columns.get_loc("ap3_gaussian") + 1, "ap3_student_t", [v for v, _ in estimates])
    frame.insert(frame.columns.get_loc("ap3_student_t") + 1, "ap3_student_t_se", [s for _, s in estimates])
    log.info("%d values; Student-T with %d samples in %d dims", len(frame), student_t["samples"], student_t["dims"])
    return frame
