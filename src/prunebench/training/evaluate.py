from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.data.prepared import Images, to_float


TOP_K = 5  # ImageNet's second accuracy: the label among the k highest logits


@torch.no_grad()
def evaluate(model: nn.Module, x: Images, y: torch.Tensor, batch_size: int = 1000) -> dict[str, float]:
    """Mean cross-entropy, accuracy and top-5 accuracy of `model` on uint8 images `x` with labels `y`."""
    model.eval()
    device = next(model.parameters()).device
    loss_sum, correct, correct_top_k = 0.0, 0, 0
    for start in range(0, len(y), batch_size):
        xb = to_float(x[start : start + batch_size]).to(device)
        yb = y[start : start + batch_size].to(device)
        logits = model(xb)
        loss_sum += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
        top_k = logits.topk(min(TOP_K, logits.shape[1]), dim=1).indices
        correct_top_k += (top_k == yb[:, None]).any(1).sum().item()
    return {"loss": loss_sum / len(y), "accuracy": correct / len(y), "top5_accuracy": correct_top_k / len(y)}
