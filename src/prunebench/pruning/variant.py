"""A pruning variant: one entry of a study's `prune.variants` with the study's `prune.layers`, typed once here so that
every stage (prune, search, fine-tune, training-time pruning) reads the same fields with the same defaults."""

from dataclasses import asdict, dataclass, field, replace

from torch import nn

from prunebench.data import PreparedData
from prunebench.pruning.masks import compute_masks


@dataclass(frozen=True, kw_only=True)
class Variant:
    layers: str  # which layers are pruned (prunebench.pruning.layers.LAYER_SELECTIONS)
    scope: str = "local"  # one of prunebench.pruning.masks.SCOPES
    method: str  # a registered pruning method (prunebench.pruning.methods.PRUNING_METHODS)
    params: dict = field(default_factory=dict)  # the method's parameters (its Params dataclass, by name)
    # recompute the masks with the same criterion every n optimizer steps while fine-tuning; None: computed once
    mask_update_steps: int | None = None

    @classmethod
    def from_config(cls, variant: dict, layers: str) -> "Variant":
        """The variant `variant` (a config entry, already schema-checked) pruning `layers`."""
        return cls(layers=layers, **variant)

    def with_params(self, params: dict) -> "Variant":
        """The same variant with `params` merged over its own (a sweep point's strength, a chosen candidate's)."""
        return replace(self, params={**self.params, **params})

    def as_dict(self) -> dict:
        return asdict(self)

    def masks(
        self,
        model: nn.Module,
        target: float,
        seed: int,
        data: PreparedData | None = None,
        input_shape: tuple[int, ...] | None = None,
    ) -> dict:
        """This variant's masks on `model` at `target` (of weights, units or FLOPs removed: the method's measure)."""
        return compute_masks(
            model,
            self.method,
            target,
            scope=self.scope,
            layers=self.layers,
            seed=seed,
            params=self.params,
            data=data,
            input_shape=input_shape,
        )
