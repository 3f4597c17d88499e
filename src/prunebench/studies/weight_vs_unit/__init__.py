"""004 — weight vs unit pruning of a bias-free MLP (Eftekhari): tables, figures and claims."""
