"""002 — Disentangled Differentiable Network Pruning (Gao, Huang, Zhang & Huang, ECCV 2022): DDNP against its
baselines on physically slimmed networks."""
