"""Study 002 (ddnp): Gao, Huang, Zhang & Huang, "Disentangled Differentiable Network Pruning", ECCV 2022."""
