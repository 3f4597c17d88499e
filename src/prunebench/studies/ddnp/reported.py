"""The document's reported tables, shipped as printed (accuracies and FLOPs reduction as fractions; empty where the
table prints "-"), each row naming its source: Table 1 (CIFAR-10, ResNet-56 and MobileNetV2) in
data/table1_cifar10.csv, Table 2 (ImageNet, ResNet-34, ResNet-50, MobileNetV2 and MobileNetV3-small; base and pruned
top-1 and top-5) in data/table2_imagenet.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TABLE1 = Path(__file__).parent / "data" / "table1_cifar10.csv"
TABLE2 = Path(__file__).parent / "data" / "table2_imagenet.csv"


def load_reported(path=TABLE1) -> pd.DataFrame:
    return pd.read_csv(path)
