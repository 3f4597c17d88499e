"""What every benchmark shares: one result row format and the 004 MLP."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from prunebench.models import build_model


@dataclass
class Result:
    benchmark: str
    measure: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None


def mlp_004() -> torch.nn.Module:
    torch.manual_seed(0)
    return build_model("mlp", (1, 28, 28), 10, hidden=[1000, 1000, 500, 200], bias=False)
