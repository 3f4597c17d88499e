"""AP3 with multivariate Student-T projections: Monte-Carlo KL, fast and exact, with Pyro as the reference.

The document projects the (grouped, 100-dimensional) dense and pruned weight vectors to multivariate Student-T
distributions p = T_df(mu_p, L L^T) and q = T_df(mu_q, L L^T) with the same degrees of freedom df and scale
(the identity in the document) and estimates KL(p || q) = E_p[log p(x) - log q(x)] by Monte Carlo with Pyro's
`MultivariateStudentT` (600,000 samples). Pyro's `log_prob` broadcasts the scale matrix per sample (24 GiB at
600,000 samples at once; about 27 s per value in chunks). Because both distributions share df and L, their
normalizing constants cancel and, with y = L^-1 (x - mu):

    log p(x) - log q(x) = (df + d) / 2 * [log(1 + |y_q|^2 / df) - log(1 + |y_p|^2 / df)].

A sample of p is x = mu_p + L e with e = z * sqrt(df / u), z ~ N(0, I_d), u ~ chi2(df) (exactly how Pyro samples
it), so y_p = e and y_q = e + t with t = L^-1 (mu_p - mu_q), and

    log p(x) - log q(x) = (df + d) / 2 * log1p((2 e.t + |t|^2) / (df + |e|^2)),

which needs one matrix-vector product per value, has no cancellation of large logarithms, and never forms x.
|e|^2 is computed once.

Common random numbers (sample reuse). `StudentTKL` draws the standardized samples e once (seeded) and reuses them
for every pair (method, sparsity, epoch) of a run. For each pair, e is still an i.i.d. sample of the standard
Student-T, so each estimate is unbiased with the same standard error as with fresh samples (reported next to
every value: std of the log-ratios / sqrt(N)). What changes is the joint behaviour: the estimates of different
pairs are positively correlated, so the Monte-Carlo noise largely cancels in differences and orderings between
pairs (the comparisons Lemma 2 is about are sharper than the per-value standard errors suggest), while the
errors of different values are not independent: averaging many values does not shrink the error like
1/sqrt(count), and the per-value standard errors must not be combined as if independent.
"""

from __future__ import annotations

import math

import torch

DEFAULT_BLOCK = 16  # pairs per matrix product: N x 16 float32 = 38 MB at N = 600,000


class StudentTKL:
    """Monte-Carlo KL between multivariate Student-T distributions of the same df and scale, differing in centre.

    `samples` standardized draws e (float32, samples x dims) are drawn once from `seed`; `estimate` and
    `estimate_many` reuse them (common random numbers; see the module docstring). Memory: 4 * samples * dims bytes
    (240 MB at 600,000 x 100) plus O(samples) work vectors.
    """

    def __init__(
        self, dims: int, df: float = 4.0, samples: int = 600_000, seed: int = 0, scale_tril: torch.Tensor | None = None
    ):
        if df <= 0:
            raise ValueError(f"df must be positive, got {df}")
        self.dims, self.df, self.samples = dims, float(df), samples
        self.scale_tril = None if scale_tril is None else scale_tril.detach().double()
        generator = torch.Generator().manual_seed(seed)
        self.e = torch.randn(samples, dims, generator=generator)
        # u ~ chi2(df) = 2 * Gamma(df / 2): torch's gamma sampler takes no generator, so fork the global RNG.
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed + 1)
            u = torch.distributions.Chi2(torch.tensor(self.df)).sample((samples,))
        self.e.mul_(torch.sqrt(self.df / u).unsqueeze(1))
        self._inv = 1.0 / (self.df + self.e.square().sum(1))  # 1 / (df + |e|^2)

    def _whiten(self, mu_p: torch.Tensor, mu_q: torch.Tensor) -> torch.Tensor:
        delta = mu_p.detach().double().reshape(-1, self.dims) - mu_q.detach().double().reshape(-1, self.dims)
        if self.scale_tril is not None:
            delta = torch.linalg.solve_triangular(self.scale_tril, delta.T, upper=False).T
        return delta

    def log_ratios(self, mu_p: torch.Tensor, mu_q: torch.Tensor) -> torch.Tensor:
        """log p(x_i) - log q(x_i) at the stored samples x_i = mu_p + L e_i (float32, one value per sample)."""
        t = self._whiten(mu_p, mu_q)[0]
        return self._ratios(t.float().unsqueeze(1), t.square().sum().float().unsqueeze(0))[:, 0]

    def _ratios(self, t: torch.Tensor, t_sq: torch.Tensor) -> torch.Tensor:
        arg = (2 * (self.e @ t) + t_sq).mul_(self._inv.unsqueeze(1))
        return torch.log1p_(arg).mul_(0.5 * (self.df + self.dims))

    def estimate(self, mu_p: torch.Tensor, mu_q: torch.Tensor) -> tuple[float, float]:
        """(KL(p || q) estimate, its Monte-Carlo standard error) in nats."""
        return self.estimate_many(mu_p, mu_q.reshape(1, -1))[0]

    def estimate_many(
        self, mu_p: torch.Tensor, mu_qs: torch.Tensor, block: int = DEFAULT_BLOCK
    ) -> list[tuple[float, float]]:
        """KL(T(mu_p) || T(mu_q)) and its standard error for each row mu_q of `mu_qs`, blocks of pairs per GEMM."""
        deltas = self._whiten(mu_p.reshape(1, -1).expand(len(mu_qs), -1), mu_qs)
        out = []
        for start in range(0, len(deltas), block):
            t = deltas[start : start + block]
            ratios = self._ratios(t.float().T.contiguous(), t.square().sum(1).float()).double()
            mean, std = ratios.mean(0), ratios.std(0)
            out += [(float(m), float(s) / math.sqrt(self.samples)) for m, s in zip(mean, std)]
        return out


def student_t_log_ratio(
    x: torch.Tensor, mu_p: torch.Tensor, mu_q: torch.Tensor, df: float, scale_tril: torch.Tensor | None = None
) -> torch.Tensor:
    """log p(x) - log q(x) for T_df(mu_p, LL^T) and T_df(mu_q, LL^T) at arbitrary points x (rows), normalizers
    cancelled."""
    x, mu_p, mu_q = x.double(), mu_p.double(), mu_q.double()
    y_p, y_q = x - mu_p, x - mu_q
    if scale_tril is not None:
        y_p = torch.linalg.solve_triangular(scale_tril.double(), y_p.T, upper=False).T
        y_q = torch.linalg.solve_triangular(scale_tril.double(), y_q.T, upper=False).T
    d = x.shape[-1]
    return 0.5 * (df + d) * (torch.log1p(y_q.square().sum(-1) / df) - torch.log1p(y_p.square().sum(-1) / df))


def pyro_student_t_kl(
    mu_p: torch.Tensor,
    mu_q: torch.Tensor,
    df: float,
    samples: int,
    seed: int = 0,
    scale_tril: torch.Tensor | None = None,
    chunk: int = 50_000,
) -> tuple[float, float]:
    """The reference: KL by Monte Carlo with Pyro's MultivariateStudentT sample and log_prob, in chunks (slow)."""
    from pyro.distributions import MultivariateStudentT

    d = mu_p.numel()
    tril = torch.eye(d, dtype=torch.float64) if scale_tril is None else scale_tril.double()
    p = MultivariateStudentT(torch.tensor(float(df), dtype=torch.float64), mu_p.double(), tril)
    q = MultivariateStudentT(torch.tensor(float(df), dtype=torch.float64), mu_q.double(), tril)
    ratios = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        for start in range(0, samples, chunk):
            x = p.sample((min(chunk, samples - start),))
            ratios.append(p.log_prob(x) - q.log_prob(x))
    ratio = torch.cat(ratios)
    return float(ratio.mean()), float(ratio.std() / math.sqrt(samples))
