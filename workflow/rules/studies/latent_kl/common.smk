# Study latent_kl: input helpers of its rules (functions only).
