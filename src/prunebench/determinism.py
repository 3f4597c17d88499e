"""Same config + seed -> bitwise-identical results on the same machine; each use of randomness its own stream.

A run's seed never feeds a generator directly: every use draws from a stream derived from (seed, purpose), so
drawing more numbers for one purpose (a larger model, another pruning criterion) cannot shift another, and two
purposes never replay each other's numbers (with one shared seed, `random` pruning scores of a layer were exactly
the uniforms that had initialized it).
"""

from __future__ import annotations

import hashlib
import os
import random
from enum import Enum

import numpy as np
import torch


class Stream(str, Enum):
    INIT = "init"  # parameter initialization (module constructors draw from the global RNG)
    DATA_ORDER = "data_order"  # the order of training examples, per epoch
    TRAINING_NOISE = "training_noise"  # noise inside the forward pass while training (reparameterization, dropout)
    PRUNING = "pruning"  # random pruning criteria
    MONTE_CARLO = "monte_carlo"  # Monte-Carlo estimates (001's Student-T KL)
    SEARCH_NOISE = "search_noise"  # noise of a structured search's gates (DP's Gumbel-sigmoid)
    AUGMENTATION = "augmentation"  # random crops and flips of training images


def derived_seed(seed: int, purpose: Stream, *salt) -> int:
    """A 63-bit seed for (seed, purpose[, salt...]): a hash, so nearby seeds give unrelated streams."""
    text = "/".join(str(part) for part in (int(seed), Stream(purpose).value, *salt))
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little") >> 1


def generator(seed: int, purpose: Stream, *salt) -> torch.Generator:
    return torch.Generator().manual_seed(derived_seed(seed, purpose, *salt))


def use_global_stream(seed: int, purpose: Stream, *salt) -> None:
    """Point torch's global RNG (used by module constructors and in-forward noise) at the stream of `purpose`."""
    torch.manual_seed(derived_seed(seed, purpose, *salt))


def seed_everything(seed: int, threads: int) -> None:
    """Force deterministic kernels, pin the thread count (reductions depend on it), flush subnormal floats to zero,
    and start the global RNGs on the initialization stream (python and numpy too, for any library that draws from them).

    Subnormals: on the CPU, Adam training of 004's MLP slowed from 4 to 14 s per epoch within 6 epochs as values
    underflowed into the subnormal range (each operation on one is ~100x slower); flushed, it stays at 4 s."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    init = derived_seed(seed, Stream.INIT)
    random.seed(init)
    np.random.seed(init % 2**32)
    use_global_stream(seed, Stream.INIT)
    torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.benchmark = False
    torch.set_num_threads(max(1, threads))
    torch.set_flush_denormal(True)


def device() -> torch.device:
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
