# Study latent_kl: its study-specific stages, tables, figures and claims.
