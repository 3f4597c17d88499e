"""Divergences between probabilistic projections of dense and pruned weights (001, AP2 / AP3).

- ap2: squared L2 distance of the weight vectors (the KL of identity-covariance Gaussians times 2);
- gaussian: closed-form KL of Gaussians, general and with a shared AR(1) (non-diagonal) covariance in O(d);
- student_t: Monte-Carlo KL of multivariate Student-T projections sharing df and scale, a fast exact log-ratio
  with common random numbers, and Pyro's distribution as the reference it is tested against.
"""

from prunebench.divergence.ap2 import ap2, group_mean
from prunebench.divergence.gaussian import (
    ar1_covariance,
    ar1_quadratic_form,
    gaussian_kl,
    gaussian_kl_ar1,
    gaussian_kl_monte_carlo,
)
from prunebench.divergence.student_t import StudentTKL, pyro_student_t_kl, student_t_log_ratio

__all__ = [
    "StudentTKL",
    "ap2",
    "ar1_covariance",
    "ar1_quadratic_form",
    "gaussian_kl",
    "gaussian_kl_ar1",
    "gaussian_kl_monte_carlo",
    "group_mean",
    "pyro_student_t_kl",
    "student_t_log_ratio",
]
