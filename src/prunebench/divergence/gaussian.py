"""AP3 with Gaussian projections: closed-form KL, and the shared non-diagonal (AR(1)) covariance of 001-F11.

The document projects the dense and the pruned weight vectors to Gaussians centred on them with the same
non-diagonal covariance for every method and sparsity, without saying which. Here it is the AR(1) (Toeplitz)
correlation of consecutive weights, Sigma_ij = scale^2 * rho^|i-j|: positive definite for |rho| < 1, known in
advance (no data), and its inverse is tridiagonal, so KL = 1/2 delta^T Sigma^-1 delta costs O(d) even for a
ResNet50 classifier (d = 204,800 on CIFAR-100) where a dense d x d matrix could not be stored.
"""

from __future__ import annotations

import math

import torch


def gaussian_kl(mu_p: torch.Tensor, cov_p: torch.Tensor, mu_q: torch.Tensor, cov_q: torch.Tensor) -> float:
    """KL(N(mu_p, cov_p) || N(mu_q, cov_q)) in nats, closed form (float64, Cholesky)."""
    mu_p, mu_q, cov_p, cov_q = (t.detach().double() for t in (mu_p, mu_q, cov_p, cov_q))
    d = mu_p.numel()
    chol_p, chol_q = torch.linalg.cholesky(cov_p), torch.linalg.cholesky(cov_q)
    trace = torch.cholesky_solve(cov_p, chol_q).diagonal().sum()
    delta = (mu_q - mu_p).unsqueeze(-1)
    mahalanobis = (delta * torch.cholesky_solve(delta, chol_q)).sum()
    logdet = 2 * (chol_q.diagonal().log().sum() - chol_p.diagonal().log().sum())
    return float(0.5 * (trace + mahalanobis - d + logdet))


def ar1_covariance(d: int, rho: float, scale: float = 1.0) -> torch.Tensor:
    """The dense d x d AR(1) covariance scale^2 * rho^|i-j| (for tests and small d)."""
    idx = torch.arange(d, dtype=torch.float64)
    return scale**2 * rho ** (idx[:, None] - idx[None, :]).abs()


def ar1_quadratic_form(delta: torch.Tensor, rho: float, scale: float = 1.0) -> float:
    """delta^T Sigma^-1 delta for the AR(1) covariance, in O(d) from its tridiagonal inverse:
    Sigma^-1 = (tridiag(-rho, [1, 1+rho^2, ..., 1+rho^2, 1], -rho)) / (scale^2 (1 - rho^2))."""
    if not -1.0 < rho < 1.0:
        raise ValueError(f"rho must lie in (-1, 1), got {rho}")
    x = delta.detach().double().flatten()
    form = (1 + rho**2) * x.dot(x) - rho**2 * (x[0] ** 2 + x[-1] ** 2) - 2 * rho * x[:-1].dot(x[1:])
    return float(form / (scale**2 * (1 - rho**2)))


def gaussian_kl_ar1(dense: torch.Tensor, pruned: torch.Tensor, rho: float, scale: float = 1.0) -> float:
    """AP3 (Gaussian, shared non-diagonal covariance): KL(N(w, Sigma) || N(w_pruned, Sigma)) = 1/2 delta^T Sigma^-1
    delta."""
    return 0.5 * ar1_quadratic_form(dense.flatten() - pruned.flatten(), rho, scale)


def gaussian_kl_monte_carlo(
    mu_p: torch.Tensor, cov_p: torch.Tensor, mu_q: torch.Tensor, cov_q: torch.Tensor, samples: int, seed: int = 0
) -> tuple[float, float]:
    """Monte-Carlo KL (mean of log p - log q over samples of p) and its standard error: the closed form's check."""
    from torch.distributions import MultivariateNormal

    p = MultivariateNormal(mu_p.double(), covariance_matrix=cov_p.double())
    q = MultivariateNormal(mu_q.double(), covariance_matrix=cov_q.double())
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        x = p.sample((samples,))
    ratio = p.log_prob(x) - q.log_prob(x)
    return float(ratio.mean()), float(ratio.std() / math.sqrt(samples))
