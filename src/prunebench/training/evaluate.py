from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.data import to_float


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 1000) -> dict[str, float]:
    """Mean cross-entropy and accuracy of `model` on uint8 images `x` with labels `y`."""
    model.eval()
    device = next(model.parameters()).device
    loss_sum, correct = 0.0, 0
    for start in range(0, len(y), batch_size):
        xb = to_float(x[start : start + batch_size]).to(device)
        yb = y[start : start + batch_size].to(device)
        logits = model(xb)
        loss_sum += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    return {"loss": loss_sum / len(y), "accuracy": correct / len(y)}
