"""DDNP's generators (Section 3.4): the width generator g_k (Eq. 9) and the importance generator g_s (Eq. 8), each a
small network on a fixed random input drawn once when it is built.

The document leaves their sizes to its supplementary material; where it is silent this follows the authors' public
code: g_k is one bias-free fully connected layer from an input of one number per layer, k = sigmoid(FC(x_k) + 3);
g_s is a bidirectional GRU (64 inputs, 128 hidden units each way) across the layers, LayerNorm and ReLU, then one
bias-free fully connected head per layer giving that layer's unnormalized scores s-bar. The document's ablations
(Fig. 4 c, g) replace g_s by one fully connected layer per layer on its own random input ("fc") or by one free
parameter per channel ("channel"); Fig. 4 (d, h) change the output function s = f(s-bar).
"""

from __future__ import annotations

import torch
from torch import nn

IMPORTANCE_ARCHITECTURES = ("gru_fc", "fc", "channel")
SCORE_FUNCTIONS = {"sigmoid": torch.sigmoid, "abs": torch.abs, "square": torch.square}
INPUT_SIZE, HIDDEN_SIZE = 64, 128


class WidthGenerator(nn.Module):
    """g_k: the normalized width k_l in (0, 1) of every prunable layer; the bias makes the search start from (nearly)
    the whole network (k = sigmoid(3) ~ 0.95 at a zero FC output)."""

    def __init__(self, layers: int, bias: float = 3.0):
        super().__init__()
        self.register_buffer("inputs", torch.randn(1, layers))
        self.fc = nn.Linear(layers, layers, bias=False)
        self.bias = bias

    def forward(self) -> torch.Tensor:
        return torch.sigmoid(self.fc(self.inputs).squeeze(0) + self.bias)


class ImportanceGenerator(nn.Module):
    """g_s: the unnormalized importance scores s-bar_l (one per channel) of every prunable layer."""

    def __init__(self, channels: list[int], architecture: str = "gru_fc"):
        super().__init__()
        if architecture not in IMPORTANCE_ARCHITECTURES:
            raise ValueError(f"importance generator: {architecture!r} is not one of {list(IMPORTANCE_ARCHITECTURES)}")
        self.architecture = architecture
        if architecture == "channel":
            self.scores = nn.ParameterList(nn.Parameter(torch.randn(c)) for c in channels)
            return
        self.register_buffer("inputs", torch.randn(len(channels), INPUT_SIZE))
        if architecture == "gru_fc":
            self.gru = nn.GRU(INPUT_SIZE, HIDDEN_SIZE, bidirectional=True)
            self.norm = nn.LayerNorm(2 * HIDDEN_SIZE)
            self.heads = nn.ModuleList(nn.Linear(2 * HIDDEN_SIZE, c, bias=False) for c in channels)
        else:
            self.heads = nn.ModuleList(nn.Linear(INPUT_SIZE, c) for c in channels)

    def forward(self) -> list[torch.Tensor]:
        if self.architecture == "channel":
            return list(self.scores)
        features = self.inputs
        if self.architecture == "gru_fc":
            features, _ = self.gru(self.inputs.unsqueeze(1))  # the layers are the sequence, a batch of one
            features = torch.relu(self.norm(features.squeeze(1)))
        return [head(features[layer]) for layer, head in enumerate(self.heads)]
