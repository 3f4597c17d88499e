"""000 protocol beyond the shared stages: removing the reconstruction head, the posterior-collapse check, and the
MIG of a model's latent on a dataset with ground-truth factors (dSprites)."""

from __future__ import annotations

import logging

import numpy as np
import torch
from torch import nn

from prunebench.data import PreparedData, to_float
from prunebench.metrics.mig import mig
from prunebench.models.vae_classif import remove_reconstruction_head
from prunebench.training import TrainConfig, TrainResult, evaluate, split_images, train

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
            what,
            accuracy,
            num_classes,
        )
        return True
    return False


def headless_phase(
    model: nn.Module,
    spec: dict,
    data: PreparedData,
    cfg: TrainConfig,
    seed: int,
    keep_kl: bool,
    record_divergence: bool = False,
) -> tuple[TrainResult, dict]:
    """Remove the reconstruction head and train on: beta * KL + cross-entropy, or cross-entropy alone without
    `keep_kl` (CNN-Classif: cross-entropy). Returns (the training's result, the headless model's spec); a diverging
    training raises TrainingDiverged, or with `record_divergence` the result says why it failed."""
    model, spec = remove_reconstruction_head(model, spec, keep_kl)
    return train(model, data, cfg, seed, stage="headless", record_divergence=record_divergence), spec


def split_metrics(model: nn.Module, data: PreparedData, trained_on: TrainConfig) -> dict:
    return {split: evaluate(model, *split_images(data, split, trained_on)) for split in ("test", "val", "train")}


@torch.no_grad()
def latent_means(model: nn.Module, x: torch.Tensor, batch_size: int = 1000) -> np.ndarray:
    """Posterior means of a Beta-VAE-Classif for uint8 images x."""
    model.eval()
    device = next(model.parameters()).device
    out = [model.posterior(to_float(x[i : i + batch_size]).to(device))[0].cpu() for i in range(0, len(x), batch_size)]
    return torch.cat(out).double().numpy()


def latent_mig(model: nn.Module, images: torch.Tensor, factors: torch.Tensor, names: list[str], bins: int) -> dict:
    """MIG of the model's latent means on `images` against their factor class indices [n, k] (named `names`):
    {"mig": ..., "per_factor": {name: normalized gap}}."""
    result = mig(latent_means(model, images), factors.numpy(), bins)
    return {"mig": result["mig"], "per_factor": dict(zip(names, result["per_factor"], strict=True))}
