"""Mutual Information Gap (Chen et al. 2018): for each ground-truth factor, the gap between the two latent
dimensions sharing the most mutual information with it, normalized by the factor's entropy, averaged over factors.

Latents are discretized into equal-width bins per dimension (as in disentanglement_lib); factors are discrete.
1 for a code whose every factor is captured by exactly one dimension; near 0 for an entangled code.
"""

from __future__ import annotations

import numpy as np


def discretize(latents: np.ndarray, bins: int = 20) -> np.ndarray:
    """Equal-width histogram bin index of each latent value, per dimension."""
    out = np.zeros(latents.shape, dtype=np.int64)
    for j in range(latents.shape[1]):
        edges = np.histogram(latents[:, j], bins)[1]
        out[:, j] = np.digitize(latents[:, j], edges[:-1])
    return out


def mutual_information_matrix(codes: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """I(z_j; v_k) in nats, [latent dims, factors], of discrete codes and factors."""
    # Imported here: scikit-learn adds ~0.9 s to the start-up of every job that imports 000's protocol, and only the
    # MIG jobs use it.
    from sklearn.metrics import mutual_info_score

    return np.array(
        [
            [mutual_info_score(factors[:, k], codes[:, j]) for k in range(factors.shape[1])]
            for j in range(codes.shape[1])
        ]
    )


def entropy(values: np.ndarray) -> float:
    _, counts = np.unique(values, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


def mig(latents: np.ndarray, factors: np.ndarray, bins: int = 20) -> dict:
    """{"mig": mean normalized gap, "per_factor": [gap of each factor or None where it has one value]}."""
    latents, factors = np.asarray(latents, dtype=np.float64), np.asarray(factors)
    if latents.shape[1] < 2:
        raise ValueError("MIG needs at least two latent dimensions")
    mi = mutual_information_matrix(discretize(latents, bins), factors)
    gaps = []
    for k in range(factors.shape[1]):
        h = entropy(factors[:, k])
        if h == 0:
            gaps.append(None)
            continue
        top = np.sort(mi[:, k])[::-1]
        gaps.append(float((top[0] - top[1]) / h))
    valid = [g for g in gaps if g is not None]
    return {"mig": float(np.mean(valid)) if valid else 0.0, "per_factor": gaps}
