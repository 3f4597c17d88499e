"""The act of pruning: turn importance scores into 0/1 masks at an exact sparsity, and apply them."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.atomic import load_torch
from prunebench.data import PreparedData, to_float
from prunebench.determinism import Stream
from prunebench.determinism import generator as stream_generator
from prunebench.pruning.channel_criteria import top_channels, uniform_widths
from prunebench.pruning.channels import ChannelSpace
from prunebench.pruning.layers import prunable_weights
from prunebench.pruning.methods import PRUNING_METHODS, PruningContext
from prunebench.pruning.params import method_params

SCOPES = ("local", "global")


def lowest_fraction_mask(scores: torch.Tensor, sparsity: float) -> torch.Tensor:
    """0 for the round(sparsity * n) lowest scores, 1 elsewhere; ties broken by position (stable sort)."""
    flat = scores.flatten()
    n_prune = round(sparsity * flat.numel())
    mask = torch.ones_like(flat)
    mask[torch.argsort(flat, stable=True)[:n_prune]] = 0.0
    return mask.view_as(scores)


def batch_gradients(
    model: nn.Module, names: list[str], data: PreparedData, batches: int, batch_size: int
) -> dict[str, tuple]:
    """dL/dw (cross-entropy) of each named weight on each of the first `batches` batches of the training split."""
    params = dict(model.named_parameters())
    device = params[names[0]].device
    model.eval()
    gradients: dict[str, list[torch.Tensor]] = {name: [] for name in names}
    for start in range(0, min(batches * batch_size, len(data.train_y)), batch_size):
        x = to_float(data.train_x[start : start + batch_size]).to(device)
        y = data.train_y[start : start + batch_size].to(device)
        grads = torch.autograd.grad(F.cross_entropy(model(x), y), [params[name] for name in names])
        for name, grad in zip(names, grads):
            gradients[name].append(grad.detach().float().cpu())
    return {name: tuple(grads) for name, grads in gradients.items()}


def compute_masks(
    model: nn.Module,
    method: str,
    sparsity: float,
    scope: str = "local",
    layers: str = "all",
    seed: int = 0,
    params: dict | None = None,
    data: PreparedData | None = None,
    input_shape: tuple[int, ...] | None = None,
) -> dict[str, torch.Tensor]:
    """Masks pruning `sparsity` of each selected layer (local) or of all selected layers together (global).

    `params`: the method's parameters (config `params`); `data`: training data, for methods that need it.
    For unit methods the sparsity is the fraction of rows removed, and every weight of a removed row is masked.
    For channel methods (prunebench.pruning.channel_criteria) the sparsity is the fraction of forward FLOPs removed
    and `layers` selects among the model's channel-prunable layers; `input_shape` (one example's) is needed to
    trace the model.
    """
    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must lie in [0, 1), got {sparsity}")
    if scope not in SCOPES:
        raise ValueError(f"scope {scope!r} is not one of {list(SCOPES)}")
    pruner = PRUNING_METHODS[method](method_params(method, params))
    if pruner.structure == "channel":
        return _channel_masks(model, pruner, 1.0 - sparsity, scope, layers, seed, input_shape)
    selected = prunable_weights(model, layers)
    gradients = {}
    if pruner.needs_data:
        if data is None:
            raise ValueError(f"pruning method {method!r} needs training data")
        gradients = batch_gradients(model, list(selected), data, pruner.params.batches, pruner.params.batch_size)
    generator = stream_generator(seed, Stream.PRUNING)
    modules = dict(model.named_modules())
    weights = {name: w.detach().float().cpu() for name, w in selected.items()}
    scores = {
        name: pruner.importance(
            w, PruningContext(name, modules[name.removesuffix(".weight")], model, generator, gradients.get(name, ()))
        ).float()
        for name, w in weights.items()
    }

    if scope == "local":
        kept = {name: lowest_fraction_mask(s, sparsity) for name, s in scores.items()}
    else:
        flat = lowest_fraction_mask(torch.cat([s.flatten() for s in scores.values()]), sparsity)
        kept = dict(zip(scores, flat.split([s.numel() for s in scores.values()])))
        kept = {name: m.view_as(scores[name]) for name, m in kept.items()}

    if pruner.structure == "unit":
        return {name: kept[name].view(-1, *[1] * (w.dim() - 1)).expand_as(w).clone() for name, w in weights.items()}
    return kept


def _channel_masks(model, pruner, flops_kept, scope, layers, seed, input_shape) -> dict[str, torch.Tensor]:
    if scope != "local":
        raise ValueError(
            f"channel methods set each layer's width from the FLOPs budget: scope {scope!r} is not defined for them"
        )
    if input_shape is None:
        raise ValueError("channel pruning needs the input shape to trace the model")
    space = ChannelSpace(model, input_shape, layers)
    generator = stream_generator(seed, Stream.PRUNING)
    scores = {
        layer: pruner.importance(
            space.modules[layer].weight, PruningContext(f"{layer}.weight", space.modules[layer], model, generator)
        )
        for layer in space.layers
    }
    return space.parameter_masks(top_channels(scores, uniform_widths(space, flops_kept, pruner.params.budget_scope)))


@torch.no_grad()
def apply_masks(model: nn.Module, masks: dict[str, torch.Tensor]) -> nn.Module:
    """Zero the masked weights in place (re-applied after every optimizer step while masks are held)."""
    params = dict(model.named_parameters())
    for name, mask in masks.items():
        params[name].mul_(mask.to(params[name].device, params[name].dtype))
    return model


def load_masks(path) -> dict[str, torch.Tensor]:
    return load_torch(path, map_location="cpu")
