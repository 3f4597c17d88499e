"""001 — AP2 / AP3: KL divergence between probabilistic projections of dense and pruned last-layer weights,
against the performance difference (PD), along fine-tuning: per-run divergences, tables, figures and claims."""
