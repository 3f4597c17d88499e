"""Sparse variational dropout ("Variational Dropout Sparsifies Deep Neural Networks", Molchanov, Ashukha & Vetrov,
2017), as compared by Gale, Elsen & Hooker ("The State of Sparsity in Deep Neural Networks", 2019).

Each weight has a Gaussian posterior N(theta, sigma^2) under the log-uniform prior, in the additive parameterization
(theta, log sigma^2); log alpha = log sigma^2 - log theta^2, clipped to [-8, 8]. Training samples the pre-activations
with the local reparameterization trick and adds the approximate KL divergence, per training example (KL / N, the
ELBO's weight) times `kl_weight`, ramped up linearly over the first `kl_warmup_epochs`. Weights with
log alpha >= `threshold` are removed; the others keep their mean theta. The sparsity is an outcome of `kl_weight`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.during_training.base import DuringTrainingMethod
from prunebench.pruning.during_training.reparameterized import ReparameterizedLayer, ReparameterizedSparsifier
from prunebench.pruning.methods import PRUNING_METHODS

K1, K2, K3 = 0.63576, 1.87320, 1.48695  # the paper's fit of the KL divergence (its Eq. 14)
LOG_ALPHA_LIMIT = 8.0
EPSILON = 1e-8


def kl_approximation(log_alpha: torch.Tensor) -> torch.Tensor:
    """KL(q || log-uniform prior) per weight: -(k1 sigmoid(k2 + k3 log alpha) - 0.5 log(1 + 1/alpha) - k1)."""
    return K1 - K1 * torch.sigmoid(K2 + K3 * log_alpha) + 0.5 * torch.nn.functional.softplus(-log_alpha)


class VariationalLayer(ReparameterizedLayer):
    def __init__(self, layer: nn.Module, log_sigma2_init: float, threshold: float):
        super().__init__(layer)
        self.log_sigma2 = nn.Parameter(torch.full_like(layer.weight, log_sigma2_init))
        self.threshold = threshold

    def log_alpha(self, clip: bool = True) -> torch.Tensor:
        log_alpha = self.log_sigma2 - torch.log(self.layer.weight.square() + EPSILON)
        return log_alpha.clamp(-LOG_ALPHA_LIMIT, LOG_ALPHA_LIMIT) if clip else log_alpha

    def mask(self):
        # unclipped, as the authors' and State of Sparsity's code threshold it
        return (self.log_alpha(clip=False) < self.threshold).float()

    def test_weight(self):
        return self.layer.weight * self.mask()

    def train_forward(self, x):
        theta = self.layer.weight
        mean = self.apply_weight(x, theta, self.layer.bias)
        variance = self.apply_weight(x.square(), self.log_alpha().exp() * (theta.square() + EPSILON), None)
        return mean + torch.sqrt(variance + EPSILON) * torch.randn_like(mean)


class VariationalDropoutSparsifier(ReparameterizedSparsifier):
    def __init__(self, model, layers, params: "VariationalDropoutParams", plan):
        super().__init__(model, layers, lambda layer: VariationalLayer(layer, params.log_sigma2_init, params.threshold))
        self.weight = params.kl_weight / plan.train_size
        self.warmup_steps = params.kl_warmup_epochs * plan.steps_per_epoch
        self.step = 0

    def after_step(self, model, step):
        self.step = step

    def penalty(self, model):
        ramp = min(1.0, self.step / self.warmup_steps) if self.warmup_steps > 0 else 1.0
        return ramp * self.weight * sum(kl_approximation(w.log_alpha()).sum() for w in self.wrappers.values())


@dataclass(frozen=True)
class VariationalDropoutParams:
    kl_weight: float = 1.0  # times the per-example KL (KL / N): 1 is the variational objective itself
    kl_warmup_epochs: float = 1.0  # the KL weight rises linearly from 0 over these first epochs
    threshold: float = 3.0  # weights with log alpha >= threshold are removed
    log_sigma2_init: float = -10.0  # as State of Sparsity's code


@PRUNING_METHODS.register("variational_dropout")
class VariationalDropout(DuringTrainingMethod):
    Params = VariationalDropoutParams
    sparsity_is_outcome = True

    def sparsifier(self, model, sparsity, layers, scope, seed, plan):
        return VariationalDropoutSparsifier(model, layers, self.params, plan)
