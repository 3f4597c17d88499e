"""The document's Table 1 (CIFAR-10, ResNet-56 and MobileNetV2) for the methods not run here, and its own DDNP
rows, shipped in data/table1_cifar10.csv as printed (accuracies and FLOPs reduction as fractions), each row naming
its source."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

TABLE1 = Path(__file__).parent / "data" / "table1_cifar10.csv"


def load_reported(path=TABLE1) -> pd.DataFrame:
    return pd.read_csv(path)
