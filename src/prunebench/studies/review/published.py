"""The published State of Sparsity results (Gale, Elsen & Hooker, "The State of Sparsity in Deep Neural Networks",
2019), shipped in data/state_of_sparsity.csv from the authors' release in google-research/google-research
(state_of_sparsity/): the best run per technique and sparsity of their checkpoint table (README.md), the dense
baselines and every ResNet-50 L0 run (results/sparse_rn50/technique_comparison/), each row naming its source file
and commit. Values are as published: top-1 in percent or as a fraction (column `unit`), BLEU.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "data" / "state_of_sparsity.csv"
MODELS = {"transformer": "Transformer, WMT 2014 En-De (BLEU)", "resnet50": "ResNet-50, ImageNet (top-1 %)"}


def load_published(path=DATA) -> pd.DataFrame:
    """The shipped rows with `value` in one unit per metric: top-1 accuracy in percent, BLEU as is."""
    frame = pd.read_csv(path)
    fraction = frame["unit"] == "fraction"
    frame.loc[fraction, "value"] = 100 * frame.loc[fraction, "value"]
    frame.loc[fraction, "unit"] = "percent"
    return frame


def best_runs(published: pd.DataFrame) -> pd.DataFrame:
    """The curves of the document's Figures 3-5: the best run per technique and sparsity (no L0 for ResNet-50: the
    authors release only its failed runs, drawn separately)."""
    return published[published["selection"] == "best run at this sparsity"]
