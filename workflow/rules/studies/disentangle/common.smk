# Study disentangle: input helpers of its rules (functions only).
