"""001 divergences: AP2, AP3 Gaussian (closed form, AR(1) covariance), AP3 Student-T (fast Monte Carlo vs Pyro)."""

import math

import pytest
import torch
from pyro.distributions import MultivariateStudentT

from prunebench.divergence import (
    StudentTKL,
    ap2,
    ar1_covariance,
    ar1_quadratic_form,
    gaussian_kl,
    gaussian_kl_ar1,
    gaussian_kl_monte_carlo,
    group_mean,
    pyro_student_t_kl,
)
from prunebench.divergence.student_t import student_t_log_ratio


def _pair(d, scale=0.3, seed=0):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(d, generator=g, dtype=torch.float64)
    return w, w + scale * torch.randn(d, generator=g, dtype=torch.float64)


def test_ap2_is_twice_the_kl_of_identity_covariance_gaussians():
    w, v = _pair(12)
    eye = torch.eye(12, dtype=torch.float64)
    assert ap2(w, v) == pytest.approx(2 * gaussian_kl(w, eye, v, eye), rel=1e-12)
    assert ap2(w, v) == pytest.approx(float(((w - v) ** 2).sum()), rel=1e-12)
    assert ap2(w, w) == 0.0


def test_group_mean_averages_consecutive_groups():
    x = torch.arange(12.0)
    assert group_mean(x, 4).tolist() == [1.0, 4.0, 7.0, 10.0]
    uneven = group_mean(torch.arange(10.0), 3)  # groups of 4, 3, 3
    assert uneven.tolist() == pytest.approx([1.5, 5.0, 8.0])
    with pytest.raises(ValueError):
        group_mean(torch.ones(7, 9), 100)


def test_gaussian_closed_form_matches_monte_carlo():
    d = 6
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(d, d, generator=g, dtype=torch.float64), torch.randn(d, d, generator=g, dtype=torch.float64)
    cov_p, cov_q = a @ a.T + d * torch.eye(d, dtype=torch.float64), b @ b.T + d * torch.eye(d, dtype=torch.float64)
    mu_p, mu_q = _pair(d, scale=1.0)
    exact = gaussian_kl(mu_p, cov_p, mu_q, cov_q)
    estimate, se = gaussian_kl_monte_carlo(mu_p, cov_p, mu_q, cov_q, samples=200_000, seed=0)
    assert exact > 0
    assert abs(estimate - exact) < 4 * se
    assert se < 0.05 * exact


def test_ar1_quadratic_form_equals_the_dense_inverse():
    for d, rho, scale in ((1, 0.5, 1.0), (2, -0.3, 2.0), (50, 0.7, 0.5)):
        delta = _pair(d)[1] - _pair(d)[0]
        cov = ar1_covariance(d, rho, scale)
        assert torch.linalg.eigvalsh(cov).min() > 0
        dense = float(delta @ torch.linalg.solve(cov, delta))
        assert ar1_quadratic_form(delta, rho, scale) == pytest.approx(dense, rel=1e-9)


def test_gaussian_ar1_kl_is_the_shared_covariance_closed_form():
    w, v = _pair(30)
    cov = ar1_covariance(30, 0.6)
    assert gaussian_kl_ar1(w, v, 0.6) == pytest.approx(gaussian_kl(w, cov, v, cov), rel=1e-9)
    assert gaussian_kl_ar1(w, v, 0.0) == pytest.approx(0.5 * ap2(w, v), rel=1e-12)  # rho = 0: identity


def test_fast_log_ratio_equals_pyro_log_prob_difference():
    d, df = 8, 4.0
    mu_p, mu_q = _pair(d)
    g = torch.Generator().manual_seed(2)
    a = torch.randn(d, d, generator=g, dtype=torch.float64)
    tril = torch.linalg.cholesky(a @ a.T + torch.eye(d, dtype=torch.float64))
    for scale_tril in (None, tril):
        L = torch.eye(d, dtype=torch.float64) if scale_tril is None else scale_tril
        p = MultivariateStudentT(torch.tensor(df, dtype=torch.float64), mu_p, L)
        q = MultivariateStudentT(torch.tensor(df, dtype=torch.float64), mu_q, L)
        x = p.sample((500,))
        reference = p.log_prob(x) - q.log_prob(x)
        assert torch.allclose(student_t_log_ratio(x, mu_p, mu_q, df, scale_tril), reference, atol=1e-9)
        # The common-random-number path: its stored samples x = mu_p + L e give Pyro's log-ratio too.
        kl = StudentTKL(d, df, samples=500, seed=3, scale_tril=scale_tril)
        x = mu_p + (L @ kl.e.double().T).T
        assert torch.allclose(kl.log_ratios(mu_p, mu_q).double(), p.log_prob(x) - q.log_prob(x), atol=1e-4)


def test_stored_samples_follow_the_standard_student_t():
    d, df = 10, 5.0
    kl = StudentTKL(d, df, samples=200_000, seed=0)
    second_moment = kl.e.double().square().sum(1)  # E|e|^2 = d df / (df - 2)
    assert float(second_moment.mean()) == pytest.approx(d * df / (df - 2), rel=0.03)
    assert float(kl.e.double().mean()) == pytest.approx(0.0, abs=0.01)


def test_student_t_kl_of_a_distribution_with_itself_is_zero_within_the_error():
    mu = _pair(20)[0]
    kl = StudentTKL(20, 4.0, samples=20_000, seed=0)
    estimate, se = kl.estimate(mu, mu)
    assert abs(estimate) <= 3 * se + 1e-12
    # and a nearby centre gives a small positive value
    assert kl.estimate(mu, mu + 1e-3)[0] >= 0


def test_student_t_kl_grows_with_the_distance_of_the_centres():
    d = 20
    mu = _pair(d)[0]
    direction = torch.nn.functional.normalize(_pair(d, seed=5)[1] - _pair(d, seed=5)[0], dim=0)
    kl = StudentTKL(d, 4.0, samples=50_000, seed=0)
    values = [kl.estimate(mu, mu + r * direction) for r in (0.1, 0.3, 1.0, 3.0)]
    for (small, se_small), (large, se_large) in zip(values, values[1:]):
        assert large - small > 3 * math.hypot(se_small, se_large)


def test_student_t_kl_approaches_the_gaussian_closed_form_as_df_grows():
    d = 20
    mu_p, mu_q = _pair(d, scale=0.2)
    gaussian = 0.5 * ap2(mu_p, mu_q)  # identity covariance: the T's limit as df -> infinity
    gaps = []
    for df in (4.0, 1e5):
        estimate, se = StudentTKL(d, df, samples=100_000, seed=1).estimate(mu_p, mu_q)
        gaps.append(abs(estimate - gaussian))
        if df > 1e4:
            assert abs(estimate - gaussian) < 4 * se + 1e-3 * gaussian
    assert gaps[1] < gaps[0]


def test_fast_estimator_agrees_with_the_pyro_reference():
    d, df = 10, 4.0
    mu_p, mu_q = _pair(d, scale=0.5)
    fast, fast_se = StudentTKL(d, df, samples=40_000, seed=0).estimate(mu_p, mu_q)
    slow, slow_se = pyro_student_t_kl(mu_p, mu_q, df, samples=40_000, seed=7, chunk=20_000)
    assert abs(fast - slow) < 4 * math.hypot(fast_se, slow_se)
    assert fast_se == pytest.approx(slow_se, rel=0.1)


def test_estimate_many_equals_single_estimates_and_is_seeded():
    d = 16
    mu_p = _pair(d)[0]
    mu_qs = torch.stack([_pair(d, seed=s)[1] for s in range(5)])
    kl = StudentTKL(d, 4.0, samples=5_000, seed=0)
    many = kl.estimate_many(mu_p, mu_qs, block=2)
    for row, (value, se) in zip(mu_qs, many):
        assert kl.estimate(mu_p, row) == pytest.approx((value, se), rel=1e-5)
    again = StudentTKL(d, 4.0, samples=5_000, seed=0).estimate_many(mu_p, mu_qs, block=2)
    assert again == many
