"""A one-shot criterion: |w| relative to a statistic of |w| over its layer (the mean or the max), so that global
pruning compares layers of different scales on one footing. Local pruning ranks as |w| does."""

from dataclasses import dataclass, field

from prunebench.pruning import PruningMethod


@dataclass(frozen=True)
class Params:
    statistic: str = field(default="mean", metadata={"choices": ("mean", "max")})


class LayerNormalizedMagnitude(PruningMethod):
    Params = Params

    def importance(self, weight, context):
        magnitude = weight.abs()
        scale = magnitude.mean() if self.params.statistic == "mean" else magnitude.max()
        return magnitude / scale
