"""000: CNN-Classif and Beta-VAE-Classif (a Beta-VAE with a classifier head on its latent).

Both share one convolutional encoder: stride-2 3x3 convolutions (`channels`), a fully connected layer of
`hidden` units, then a `latent`-dimensional code. CNN-Classif maps it deterministically (Linear + ReLU);
Beta-VAE-Classif produces a Gaussian posterior (mu, logvar), decodes a sample back to the image
(the reconstruction head: Linear layers + stride-2 transposed convolutions, Bernoulli pixels) and classifies
the sample with a linear head. At inference (forward) the classifier reads the posterior mean.

Loss (Eq. 1-3 of the document): beta * KL(q(z|x) || N(0, I)) + reconstruction + cross-entropy, where the KL is
summed over latent dimensions and the reconstruction term is the pixel-wise binary cross-entropy summed over
pixels, both averaged over the batch. `remove_reconstruction_head` drops the decoder and its loss term,
leaving the encoder and classifier (the shaded blocks of the document's Fig. 1), with or without the KL term.

Sizes default to the document's (channels/hidden None): for grayscale inputs channels 16, 32 and hidden 40 (about
69k inference parameters at 28x28, its MNIST networks); for colour inputs channels 64, 128 and hidden 350 (about
2.9M at 32x32, its CIFAR-10 networks). Latent: 10 dimensions.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.models.registry import MODELS

LOGVAR_LIMIT = 10.0  # logvar is clamped to [-10, 10]: a collapsing posterior gives chance accuracy, never NaN


def document_size(input_shape, channels, hidden) -> tuple[list[int], int]:
    """The document's network size for the input where channels / hidden are not given."""
    colour = input_shape[0] == 3
    default_channels, default_hidden = ((64, 128), 350) if colour else ((16, 32), 40)
    return list(
        channels if channels is not None else default_channels
    ), hidden if hidden is not None else default_hidden


def _encoder_body(input_shape: tuple[int, ...], channels, hidden: int) -> tuple[nn.Sequential, tuple[int, int, int]]:
    in_channels, height, width = input_shape
    factor = 2 ** len(channels)
    if height % factor or width % factor:
        raise ValueError(f"input {height}x{width} is not divisible by 2^{len(channels)} (one halving per conv layer)")
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    c = in_channels
    for i, out in enumerate(channels, start=1):
        layers[f"conv{i}"] = nn.Conv2d(c, out, 3, stride=2, padding=1)
        layers[f"relu{i}"] = nn.ReLU()
        c = out
    feature_shape = (c, height // factor, width // factor)
    layers["flatten"] = nn.Flatten()
    layers["fc"] = nn.Linear(math.prod(feature_shape), hidden)
    layers["relu_fc"] = nn.ReLU()
    return nn.Sequential(layers), feature_shape


def _decoder(input_shape, channels, hidden: int, latent: int, feature_shape) -> nn.Sequential:
    layers: OrderedDict[str, nn.Module] = OrderedDict()
    layers["fc1"] = nn.Linear(latent, hidden)
    layers["relu1"] = nn.ReLU()
    layers["fc2"] = nn.Linear(hidden, math.prod(feature_shape))
    layers["relu2"] = nn.ReLU()
    layers["unflatten"] = nn.Unflatten(1, feature_shape)
    outs = list(reversed(channels[:-1])) + [input_shape[0]]
    c = channels[-1]
    for i, out in enumerate(outs, start=1):
        layers[f"deconv{i}"] = nn.ConvTranspose2d(c, out, 4, stride=2, padding=1)
        if i < len(outs):
            layers[f"relu_deconv{i}"] = nn.ReLU()
        c = out
    return nn.Sequential(layers)  # pixel logits


def kl_standard_normal(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(logvar)) || N(0, I)) summed over latent dimensions, averaged over the batch."""
    return (0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)).sum(1).mean()


def reconstruction_loss(pixel_logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """-log p(x|z) of Bernoulli pixels: binary cross-entropy summed over pixels, averaged over the batch."""
    return F.binary_cross_entropy_with_logits(pixel_logits, x, reduction="sum") / len(x)


class CNNClassif(nn.Module):
    def __init__(self, input_shape, num_classes, channels=None, hidden=None, latent=10):
        super().__init__()
        channels, hidden = document_size(input_shape, channels, hidden)
        self.encoder, _ = _encoder_body(input_shape, list(channels), hidden)
        self.code = nn.Sequential(OrderedDict(fc=nn.Linear(hidden, latent), relu=nn.ReLU()))
        self.classifier = nn.Linear(latent, num_classes)

    def forward(self, x):
        return self.classifier(self.code(self.encoder(x)))


class BetaVAEClassif(nn.Module):
    def __init__(self, input_shape, num_classes, beta=1.0, channels=None, hidden=None, latent=10, decoder=True):
        super().__init__()
        channels, hidden = document_size(input_shape, channels, hidden)
        self.beta = float(beta)
        self.encoder, feature_shape = _encoder_body(input_shape, list(channels), hidden)
        self.mu = nn.Linear(hidden, latent)
        self.logvar = nn.Linear(hidden, latent)
        self.decoder = _decoder(input_shape, list(channels), hidden, latent, feature_shape) if decoder else None
        self.classifier = nn.Linear(latent, num_classes)

    def posterior(self, x) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        return self.mu(h), self.logvar(h).clamp(-LOGVAR_LIMIT, LOGVAR_LIMIT)

    def forward(self, x):
        """Class logits from the posterior mean (inference: encoder + classifier only)."""
        mu, _ = self.posterior(x)
        return self.classifier(mu)

    def loss_terms(self, x, y) -> dict[str, torch.Tensor]:
        """kl, reconstruction (absent without the head), cross_entropy, loss and logits of a reparameterized sample."""
        mu, logvar = self.posterior(x)
        z = mu + torch.randn_like(mu) * (0.5 * logvar).exp()
        logits = self.classifier(z)
        terms = {"kl": kl_standard_normal(mu, logvar), "cross_entropy": F.cross_entropy(logits, y)}
        loss = self.beta * terms["kl"] + terms["cross_entropy"]
        if self.decoder is not None:
            terms["reconstruction"] = reconstruction_loss(self.decoder(z), x)
            loss = loss + terms["reconstruction"]
        return {**terms, "loss": loss, "logits": logits}

    def loss(self, x, y):
        terms = self.loss_terms(x, y)
        return terms["loss"], terms["logits"]


@MODELS.register("cnn_classif")
def cnn_classif(input_shape, num_classes, channels=None, hidden=None, latent=10) -> CNNClassif:
    return CNNClassif(tuple(input_shape), num_classes, channels, hidden, latent)


@MODELS.register("beta_vae_classif")
def beta_vae_classif(
    input_shape, num_classes, beta=1.0, channels=None, hidden=None, latent=10, decoder=True
) -> BetaVAEClassif:
    return BetaVAEClassif(tuple(input_shape), num_classes, beta, channels, hidden, latent, decoder)


def remove_reconstruction_head(model: nn.Module, spec: dict, keep_kl: bool = True) -> tuple[nn.Module, dict]:
    """The model without its reconstruction head (and loss term), and the spec that rebuilds it.

    keep_kl: whether the beta * KL term stays in the loss of the phases that follow (the document removes the head
    "as well as its corresponding loss term"; whether the KL, the encoder's term, stays is not said). Without it the
    KL weight becomes 0 and the encoder + classifier train on cross-entropy alone. CNN-Classif has no head: it is
    returned as is."""
    if isinstance(model, BetaVAEClassif):
        model.decoder = None
        spec = {**spec, "decoder": False}
        if not keep_kl:
            model.beta = 0.0
            spec["beta"] = 0.0
        return model, spec
    return model, spec
