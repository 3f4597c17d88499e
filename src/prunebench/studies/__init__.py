"""Per-study analysis: how each document's tables, figures and claims are computed from the runs."""
