"""001 AP3 Student-T: one KL value at the paper's 600,000 samples (d = 100, df = 4) on 2 CPU threads.

Each measurement runs in a fresh Python process so its peak resident memory (ru_maxrss) is its own:
- fast path (prunebench.divergence.StudentTKL): drawing the samples + one estimate, wall time and peak memory;
- the amortized cost per further value when the samples are reused (common random numbers, 48 values);
- Pyro's MultivariateStudentT sample + log_prob in chunks of 50,000 (the reference), timed on 50,000 samples
  and extrapolated linearly to 600,000 (the full run takes minutes on 2 cores).
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.common import Result

THREADS = 2
SAMPLES, DIMS, DF = 600_000, 100, 4.0
PYRO_SAMPLES = 50_000

CHILD = r"""
import json, resource, sys, time
import torch
torch.set_num_threads({threads})
from prunebench.divergence import StudentTKL, pyro_student_t_kl
g = torch.Generator().manual_seed(0)
mu_p = 0.1 * torch.randn({dims}, generator=g, dtype=torch.float64)
mu_q = mu_p + 0.05 * torch.randn({dims}, generator=g, dtype=torch.float64)
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out = {{"baseline_mb": baseline}}
if sys.argv[1] == "fast":
    start = time.perf_counter()
    kl = StudentTKL({dims}, {df}, {samples}, seed=0)
    value, se = kl.estimate(mu_p, mu_q)
    out["seconds"] = time.perf_counter() - start
    out.update(value=value, se=se)
    others = mu_p + 0.05 * torch.randn(48, {dims}, generator=g, dtype=torch.float64)
    start = time.perf_counter()
    kl.estimate_many(mu_p, others)
    out["per_reused_value"] = (time.perf_counter() - start) / 48
else:
    start = time.perf_counter()
    value, se = pyro_student_t_kl(mu_p, mu_q, {df}, {pyro_samples}, seed=0, chunk=50_000)
    out["seconds"] = time.perf_counter() - start
    out.update(value=value, se=se)
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def _child(mode: str) -> dict:
    code = CHILD.format(threads=THREADS, dims=DIMS, df=DF, samples=SAMPLES, pyro_samples=PYRO_SAMPLES)
    done = subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run() -> list[Result]:
    fast, pyro = _child("fast"), _child("pyro")
    name = "ap3_student_t"
    pyro_full = pyro["seconds"] * SAMPLES / PYRO_SAMPLES
    return [
        Result(
            name,
            f"fast path: one value, {SAMPLES:,} samples, d={DIMS}, df={DF:g} (sampling included)",
            fast["seconds"],
            "s",
            "< 1 s",
            fast["seconds"] < 1.0,
        ),
        Result(
            name,
            "fast path: peak resident memory of the process",
            fast["peak_mb"],
            "MB",
            "< 2048 MB",
            fast["peak_mb"] < 2048,
        ),
        Result(name, "fast path: memory above the process after imports", fast["peak_mb"] - fast["baseline_mb"], "MB"),
        Result(name, "fast path: each further value reusing the samples", 1e3 * fast["per_reused_value"], "ms"),
        Result(name, "fast path: KL estimate (nats)", fast["value"], "nats"),
        Result(name, "fast path: Monte-Carlo standard error", fast["se"], "nats"),
        Result(name, f"Pyro reference: {PYRO_SAMPLES:,} samples in chunks of 50,000", pyro["seconds"], "s"),
        Result(name, f"Pyro reference extrapolated to {SAMPLES:,} samples", pyro_full, "s"),
        Result(
            name,
            f"Pyro reference: KL estimate ({PYRO_SAMPLES:,} samples) +- SE",
            pyro["value"],
            f"nats (+- {pyro['se']:.2g})",
        ),
        Result(
            name, "speedup of the fast path over Pyro (one value, 600,000 samples)", pyro_full / fast["seconds"], "x"
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
