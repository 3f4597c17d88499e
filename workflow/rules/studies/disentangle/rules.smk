# Study disentangle: its study-specific stages, tables, figures and claims.
