"""000 protocol phases beyond the shared stages: removing the reconstruction head, the posterior-collapse check,
and the dSprites + MIG follow-up (train with the head, remove it, prune 50%, measure MIG and accuracy)."""
from __future__ import annotations

import logging

import numpy as np
import torch
from torch import nn

from prunebench.data import PreparedData, to_float
from prunebench.data.dsprites import FACTOR_NAMES, SHAPES, load_dsprites
from prunebench.metrics import cost_record
from prunebench.metrics.mig import mig
from prunebench.models import build_model
from prunebench.models.vae_classif import remove_reconstruction_head
from prunebench.pruning import FixedMasks, apply_masks, compute_masks
from prunebench.training import TrainConfig, evaluate, split_images, train

log = logging.getLogger(__name__)

COLLAPSE_MARGIN = 0.05  # accuracy within 5 points of chance (1 / classes) counts as collapsed


def collapsed(accuracy: float, num_classes: int) -> bool:
    return accuracy <= 1.0 / num_classes + COLLAPSE_MARGIN


def warn_if_collapsed(accuracy: float, num_classes: int, what: str) -> bool:
    """Log a warning when a model is at chance accuracy (its latent carries no class information)."""
    if collapsed(accuracy, num_classes):
        log.warning(
            "%s: test accuracy %.4f is at chance level (1/%d): the latent carries no class information "
            "(posterior collapse / KL vanishing, or too little training); recorded as a result",
            what, accuracy, num_classes,
        )
        return True
    return False


def headless_phase(model: nn.Module, spec: dict, data: PreparedData, cfg: TrainConfig, seed: int, keep_kl: bool):
    """Remove the reconstruction head and train on: beta * KL + cross-entropy, or cross-entropy alone without
    `keep_kl` (CNN-Classif: cross-entropy). Returns (model, spec, history)."""
    model, spec = remove_reconstruction_head(model, spec, keep_kl)
    result = train(model, data, cfg, seed, stage="headless")
    return result.model, spec, result.history


def split_metrics(model: nn.Module, data: PreparedData, trained_on: TrainConfig) -> dict:
    return {split: evaluate(model, *split_images(data, split, trained_on)) for split in ("test", "val", "train")}


@torch.no_grad()
def latent_means(model: nn.Module, x: torch.Tensor, batch_size: int = 1000) -> np.ndarray:
    """Posterior means of a Beta-VAE-Classif for uint8 images x."""
    model.eval()
    device = next(model.parameters()).device
    out = [model.posterior(to_float(x[i : i + batch_size]).to(device))[0].cpu() for i in range(0, len(x), batch_size)]
    return torch.cat(out).double().numpy()


def dsprites_data(size: int, seed: int, val_fraction: float, test_fraction: float, data_dir: str | None):
    """(PreparedData classifying the shape, test factors [n_test, 5]) of a seeded dSprites subset."""
    images, factors, source = load_dsprites(size, seed, data_dir)
    n_val, n_test = round(size * val_fraction), round(size * test_fraction)
    n_train = size - n_val - n_test
    if min(n_train, n_val, n_test) < 1:
        raise ValueError(f"dSprites size {size} leaves an empty split (val {n_val}, test {n_test})")
    labels = factors[:, 0].clone()
    parts = [slice(0, n_train), slice(n_train, n_train + n_val), slice(n_train + n_val, size)]
    data = PreparedData(
        images[parts[0]], labels[parts[0]], images[parts[1]], labels[parts[1]], images[parts[2]], labels[parts[2]],
        classes=list(SHAPES), source=source,
    )
    return data, factors[parts[2]]


def mig_protocol(
    spec: dict, data: PreparedData, test_factors: torch.Tensor, train_cfg: TrainConfig, headless_cfg: TrainConfig,
    prune_cfg: TrainConfig, sparsity: float, seed: int, keep_kl: bool, bins: int = 20,
) -> dict:
    """The 000 protocol on dSprites with MIG measured: train with the head, remove it and train on, MIG of the
    latent means on the test split; then prune `sparsity` of every layer (local, lowest |w|) with masks held."""
    beta = spec["beta"]
    model = build_model(**spec)
    model = train(model, data, train_cfg, seed, stage="dense").model
    model, spec, _ = headless_phase(model, spec, data, headless_cfg, seed, keep_kl)
    factors = test_factors.numpy()
    unpruned = {"mig": mig(latent_means(model, data.test_x), factors, bins), **split_metrics(model, data, headless_cfg)}
    masks = compute_masks(model, "lowest", sparsity, scope="local", layers="all", seed=seed)
    model = train(model, data, prune_cfg, seed, stage="finetune", sparsifier=FixedMasks(masks)).model
    apply_masks(model, masks)
    pruned = {"mig": mig(latent_means(model, data.test_x), factors, bins), **split_metrics(model, data, prune_cfg)}
    pruned["cost"] = cost_record(model, data.input_shape)
    for name, result in (("unpruned", unpruned), ("pruned", pruned)):
        warn_if_collapsed(result["test"]["accuracy"], data.num_classes, f"dSprites beta={beta} {name}")
    return {"factors": list(FACTOR_NAMES), "unpruned": unpruned, "pruned": pruned}
