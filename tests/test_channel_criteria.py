"""One-shot channel criteria at a FLOPs budget: uniform width and L1-norm filters (Li et al. 2017)."""

import copy

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from prunebench.models import build_model
from prunebench.pruning import PRUNING_METHODS, ChannelSpace, apply_masks, compute_masks, slim

SHAPE = (1, 28, 28)


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture
def resnet():
    torch.manual_seed(0)
    return build_model("cifar_resnet", SHAPE, 10, depth=20, width_multiplier=0.5).eval()


def flops(model):
    with FlopCounterMode(display=False) as counter:
        model.eval()(torch.zeros(1, *SHAPE))
    return counter.get_total_flops()


@pytest.mark.parametrize("method", ["uniform_channels", "l1_filter"])
def test_registered_as_one_shot_channel_criteria(method):
    assert PRUNING_METHODS[method].family == "criterion" and PRUNING_METHODS[method].structure == "channel"


@pytest.mark.parametrize("method", ["uniform_channels", "l1_filter"])
@pytest.mark.parametrize("reduction", [0.3, 0.5])
@pytest.mark.parametrize("scope", ["prunable", "total"])
def test_the_slimmed_network_meets_the_flops_budget_at_uniform_widths(resnet, method, reduction, scope):
    masks = compute_masks(resnet, method, reduction, input_shape=SHAPE, params={"budget_scope": scope})
    slimmed, widths, remaining = slim(apply_masks(copy.deepcopy(resnet), masks), masks, SHAPE)
    assert remaining == {}
    space = ChannelSpace(resnet, SHAPE)
    fixed = space.flops({layer: 0 for layer in space.layers}) if scope == "prunable" else 0
    assert 0 < fixed < 0.2 * flops(resnet) or scope == "total"  # stem and classifier
    assert (flops(slimmed) - fixed) / (flops(resnet) - fixed) <= 1 - reduction
    fractions = [widths[layer] / c for layer, c in space.channels.items()]
    assert max(fractions) - min(fractions) <= 1 / min(space.channels.values()) + 1e-9  # one rate, rounded per layer
    # the largest such rate: one more channel in every layer would break the budget
    wider = {layer: min(c, widths[layer] + 1) for layer, c in space.channels.items()}
    assert space.flops(wider) - fixed > (1 - reduction) * (space.flops() - fixed)


def test_l1_keeps_the_filters_of_largest_absolute_sum(resnet):
    masks = compute_masks(resnet, "l1_filter", 0.5, input_shape=SHAPE)
    weight = resnet.layer2[0].conv1.weight.detach()
    kept = masks["layer2.0.conv1.weight"].flatten(1).any(1)
    norms = weight.abs().flatten(1).sum(1)
    assert norms[kept].min() >= norms[~kept].max()


def test_uniform_draws_its_channels_from_the_pruning_stream(resnet):
    a = compute_masks(resnet, "uniform_channels", 0.5, seed=0, input_shape=SHAPE)
    b = compute_masks(resnet, "uniform_channels", 0.5, seed=0, input_shape=SHAPE)
    c = compute_masks(resnet, "uniform_channels", 0.5, seed=1, input_shape=SHAPE)
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert any(not torch.equal(a[k], c[k]) for k in a)


def test_an_unreachable_budget_is_named(resnet):
    with pytest.raises(ValueError, match="out of reach"):
        compute_masks(resnet, "l1_filter", 0.99, input_shape=SHAPE)


def test_an_unknown_budget_scope_is_named():
    with pytest.raises(ValueError, match="budget_scope"):
        compute_masks(
            build_model("mlp", SHAPE, 10, hidden=[8]),
            "l1_filter",
            0.5,
            input_shape=SHAPE,
            params={"budget_scope": "all"},
        )


def test_zero_reduction_keeps_every_channel(resnet):
    masks = compute_masks(resnet, "l1_filter", 0.0, input_shape=SHAPE)
    assert all(bool(m.all()) for m in masks.values())
