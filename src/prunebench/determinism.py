"""Same config + seed -> bitwise-identical results on the same machine."""
from __future__ import annotations

import os
import random

import numpy as np
import torch


def seed_everything(seed: int, threads: int) -> torch.Generator:
    """Seed every RNG, force deterministic kernels, pin the thread count (reductions depend on it)."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    torch.set_num_threads(max(1, threads))
    return torch.Generator().manual_seed(seed)


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
