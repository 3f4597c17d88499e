"""Iterative pruning: masks decided between training rounds (not a method family: 003's rules chain the levels).

Iterative magnitude pruning with rewinding (Frankle & Carbin 2019, "The Lottery Ticket Hypothesis"): level L removes
`rate` of the weights that survived level L-1, by magnitude of level L-1's trained weights, so level L's sparsity is
1 - (1 - rate)^L (the output layer's at half the rate, as Frankle & Carbin); the surviving weights are rewound to the
dense run's initialization (or to its iteration k) and retrained under the masks. One level is one job of the DAG;
the chain is the workflow's. One-shot pruning to level L's sparsity is the same function applied once to the dense
model.

Controls: the same masks with a fresh initialization (random re-init), and random masks of the same per-layer
sparsity. Scratch-E / Scratch-B (Liu et al. 2019, "Rethinking the Value of Network Pruning"): the pruned architecture
trained from a fresh initialization for the same epochs, or for the dense model's compute (`scratch_b_epochs`); a
fresh initialization is scaled to each layer's kept weights (`density_scaled`), as Liu et al. draw it.
"""

from __future__ import annotations

import copy
import math

import torch
from torch import nn

from prunebench.determinism import Stream, use_global_stream
from prunebench.determinism import generator as stream_generator
from prunebench.models import build_model
from prunebench.pruning.layers import prunable_weights
from prunebench.pruning.masks import SCOPES, apply_masks, lowest_fraction_mask
from prunebench.training.sparsifier import Sparsifier

REWIND_INIT = 0  # rewinding to iteration 0 is rewinding to the initialization


def level_sparsity(rate: float, level: int) -> float:
    """The sparsity after `level` levels that each remove `rate` of the remaining weights."""
    return 1.0 - (1.0 - rate) ** level


def level_masks(
    model: nn.Module,
    previous: dict[str, torch.Tensor] | None,
    rate: float,
    level: int,
    scope: str = "local",
    layers: str = "all",
    output_rate_factor: float = 0.5,
) -> dict[str, torch.Tensor]:
    """Level `level`'s masks: of the weights `previous` keeps (all, for one-shot pruning), remove those of smallest
    |w| in `model` until round(level_sparsity * n) of each layer (local) or of all selected layers (global) are
    removed. Weights `previous` removed stay removed whatever their value.

    The output layer (the model's last Linear / Conv2d), when selected, is pruned on its own at
    `output_rate_factor` x `rate` per level: Frankle & Carbin 2019 prune connections to the outputs at half the
    rate of the rest (their code: lottery_ticket/mnist_fc/constants.py, PRUNE_PERCENTS .2 / .2 / .1); 1 prunes it
    like every other layer."""
    if scope not in SCOPES:
        raise ValueError(f"scope {scope!r} is not one of {list(SCOPES)}")
    if not 0.0 <= output_rate_factor * rate < 1.0:
        raise ValueError(f"output_rate_factor {output_rate_factor} x rate {rate} is not a pruning rate in [0, 1)")
    scores = {}
    for name, weight in prunable_weights(model, layers).items():
        score = weight.detach().abs().float().cpu()
        if previous is not None:
            score = torch.where(previous[name].bool(), score, torch.tensor(-1.0))
        scores[name] = score
    output = next(iter(prunable_weights(model, "last")))
    masks = {}
    if output in scores:
        masks[output] = lowest_fraction_mask(scores.pop(output), level_sparsity(output_rate_factor * rate, level))
    sparsity = level_sparsity(rate, level)
    if scope == "local":
        masks.update({name: lowest_fraction_mask(score, sparsity) for name, score in scores.items()})
    elif scores:
        flat = lowest_fraction_mask(torch.cat([s.flatten() for s in scores.values()]), sparsity)
        parts = flat.split([s.numel() for s in scores.values()])
        masks.update({name: m.view_as(scores[name]) for name, m in zip(scores, parts)})
    return {name: masks[name] for name in prunable_weights(model, layers)}


def random_masks_like(masks: dict[str, torch.Tensor], generator: torch.Generator) -> dict[str, torch.Tensor]:
    """Random masks keeping exactly as many weights of each layer as `masks` does."""
    out = {}
    for name, mask in masks.items():
        kept = int(mask.sum())
        flat = torch.zeros(mask.numel())
        flat[torch.randperm(mask.numel(), generator=generator)[:kept]] = 1.0
        out[name] = flat.view_as(mask)
    return out


class RewindPoint(Sparsifier):
    """Keeps a copy of the model's weights after optimizer step `step` (0: before the first, the initialization):
    what a late-rewound ticket is reset to. Pass it as the dense run's sparsifier; it masks nothing."""

    def __init__(self, step: int):
        self.step, self.state = step, None

    def start(self, model):
        if self.step == REWIND_INIT:
            self.state = _copy_state(model)

    def after_step(self, model, step):
        if step == self.step:
            self.state = _copy_state(model)

    def saved(self) -> dict[str, torch.Tensor]:
        if self.state is None:
            raise ValueError(f"rewind_step {self.step}: the dense run ended before that optimizer step")
        return self.state


def _copy_state(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


def rewound(model: nn.Module, state: dict[str, torch.Tensor], masks: dict[str, torch.Tensor]) -> nn.Module:
    """`model` (any architecture with `state`'s keys) reset to the saved weights, the masked ones zeroed."""
    model.load_state_dict(copy.deepcopy(state))
    return apply_masks(model, masks)


def initial_model(spec: dict, seed: int) -> nn.Module:
    """The dense run's initialization of `spec` (train_dense draws it from the INIT stream of its seed), rebuilt."""
    use_global_stream(seed, Stream.INIT)
    return build_model(**spec)


def fresh_model(spec: dict, seed: int, purpose: str) -> nn.Module:
    """A model of `spec` from an initialization of its own (random re-init, scratch training): drawn from a stream
    of (seed, INIT, purpose), never the dense run's draws."""
    use_global_stream(seed, Stream.INIT, purpose)
    return build_model(**spec)


REINIT_SCALINGS = ("density", "none")


@torch.no_grad()
def density_scaled(model: nn.Module, masks: dict[str, torch.Tensor]) -> nn.Module:
    """Each masked layer's weights divided by sqrt(the fraction of them kept): a fresh initialization whose
    pre-activations keep the dense initialization's variance. Liu et al. 2019 draw N(0, sqrt(2 / n)) with n the
    kept weights per input channel, i.e. their dense n scaled by the layer's density (cifar/weight-level/cifar_B.py
    and cifar_E.py), as State of Sparsity's sparse initializers do (sparse_rn50/resnet_model.py,
    SparseConvVarianceScalingInitializer, SparseFCVarianceScalingInitializer)."""
    params = dict(model.named_parameters())
    for name, mask in masks.items():
        density = float(mask.float().mean())
        if density > 0:
            params[name].mul_(density**-0.5)
    return model


def scratch_b_epochs(epochs: int, dense_flops: float, pruned_flops: float, max_factor: float | None = None) -> int:
    """Scratch-B's epochs: the base budget `epochs` (the dense run's) scaled by FLOPs_dense / FLOPs_pruned (the same
    compute), the factor capped at `max_factor` when given (None: no cap, as Liu et al.'s weight-level code,
    cifar/weight-level/cifar_B.py), rounded up to a whole epoch."""
    if pruned_flops <= 0:
        raise ValueError("a pruned model without FLOPs has no Scratch-B budget")
    if max_factor is not None and max_factor < 1:
        raise ValueError(f"scratch_b max_factor {max_factor}: Scratch-B trains at least the base epochs")
    factor = dense_flops / pruned_flops
    return math.ceil(epochs * (factor if max_factor is None else min(factor, max_factor)) - 1e-9)


# How a retraining starts from a set of masks: which weights (the saved rewind point, or a fresh initialization),
# which masks (these, or random ones of the same per-layer sparsity) and for how long (the dense run's epochs, or
# Scratch-B's). "rewind" is the lottery ticket; "reinit" is both the random re-init control and Scratch-E.
ARMS = {
    "rewind": {"weights": "rewind", "masks": "same", "epochs": "same"},
    "reinit": {"weights": "fresh", "masks": "same", "epochs": "same"},
    "scratch_b": {"weights": "fresh", "masks": "same", "epochs": "same_compute"},
    "random_masks": {"weights": "rewind", "masks": "random", "epochs": "same"},
}


def retraining_start(
    arm: str,
    masks: dict[str, torch.Tensor],
    rewind_state: dict[str, torch.Tensor],
    spec: dict,
    seed: int,
    reinit_scaling: str = "density",
) -> tuple[nn.Module, dict[str, torch.Tensor]]:
    """The model (masked weights zeroed) and the masks an `arm` of ARMS trains from. A fresh initialization is
    scaled to each layer's kept weights (`reinit_scaling` "density", density_scaled) or drawn as for the dense
    model ("none": State of Sparsity's `init_method=baseline`)."""
    if arm not in ARMS:
        raise ValueError(f"retraining arm {arm!r} is not one of {sorted(ARMS)}")
    if reinit_scaling not in REINIT_SCALINGS:
        raise ValueError(f"reinit_scaling {reinit_scaling!r} is not one of {list(REINIT_SCALINGS)}")
    how = ARMS[arm]
    if how["masks"] == "random":
        masks = random_masks_like(masks, stream_generator(seed, Stream.PRUNING, "random_masks"))
    if how["weights"] == "fresh":
        model = fresh_model(spec, seed, "reinit")
        if reinit_scaling == "density":
            density_scaled(model, masks)
        return apply_masks(model, masks), masks
    return rewound(build_model(**spec), rewind_state, masks), masks
