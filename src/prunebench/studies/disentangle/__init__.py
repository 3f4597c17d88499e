"""000 — disentanglement and pruning (Shneider et al.): Beta-VAE-Classif vs CNN-Classif, Table I, and the
document's proposed follow-up (dSprites + the Mutual Information Gap)."""
