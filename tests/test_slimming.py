"""Physical slimming through Torch-Pruning's DependencyGraph: same outputs as the masked network, FLOPs as predicted
from the widths, checkpoints that load with weights_only=True."""

import copy

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from prunebench.models import build_model, load_checkpoint, save_checkpoint
from prunebench.pruning import ChannelSpace, apply_masks, compute_masks, slim

SHAPE = (1, 28, 28)
MODELS = {
    "resnet20": ("cifar_resnet", {"depth": 20, "width_multiplier": 0.5}),
    "mobilenetv2": ("cifar_mobilenetv2", {"width_multiplier": 0.25}),
}


pytestmark = pytest.mark.usefixtures("one_thread")


def trained_looking(arch, kwargs, shape=SHAPE):
    """A model whose BatchNorm statistics and affine parameters are not the identity (a removed channel's shift must
    be removed too)."""
    torch.manual_seed(0)
    model = build_model(arch, shape, 10, **kwargs)
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
            nn.init.uniform_(m.weight, 0.5, 1.5)
            nn.init.uniform_(m.bias, -0.5, 0.5)
    return model.eval()


def random_half(space, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return {layer: torch.rand(c, generator=generator) < 0.5 for layer, c in space.channels.items()}


def counted_flops(model, shape=SHAPE):
    with FlopCounterMode(display=False) as counter:
        model.eval()(torch.zeros(1, *shape))
    return counter.get_total_flops()


@pytest.mark.parametrize("name", MODELS)
def test_slimmed_network_gives_the_masked_outputs_with_fewer_flops(name):
    model = trained_looking(*MODELS[name])
    space = ChannelSpace(model, SHAPE)
    masks = space.parameter_masks(random_half(space))
    masked = apply_masks(copy.deepcopy(model), masks)
    slimmed, widths, remaining = slim(masked, masks, SHAPE)
    x = torch.rand(8, *SHAPE, generator=torch.Generator().manual_seed(2))
    torch.testing.assert_close(slimmed.eval()(x), masked(x), rtol=1e-4, atol=1e-5)
    assert remaining == {}
    assert widths == {layer: int(m.sum()) for layer, m in random_half(space).items()}
    assert counted_flops(model) == space.flops()
    assert counted_flops(slimmed) == space.flops(widths) < 0.8 * space.flops()


def test_residual_channels_are_never_removed():
    model = trained_looking(*MODELS["resnet20"])
    space = ChannelSpace(model, SHAPE)
    slimmed, _, _ = slim(model, space.parameter_masks(random_half(space)), SHAPE)
    before = {n: m.out_channels for n, m in model.named_modules() if n.endswith("conv2")}
    assert before == {n: m.out_channels for n, m in slimmed.named_modules() if n.endswith("conv2")}


def test_004_mlp_with_unit_pruning_slims_to_the_kept_units():
    torch.manual_seed(0)
    model = build_model("mlp", SHAPE, 10, hidden=[100, 50, 30])
    masks = compute_masks(model, "unit", 0.6, layers="all_but_last")
    masked = apply_masks(copy.deepcopy(model), masks)
    slimmed, widths, remaining = slim(masked, masks, SHAPE)
    x = torch.rand(8, *SHAPE)
    torch.testing.assert_close(slimmed(x), masked(x), rtol=1e-4, atol=1e-6)
    assert widths == {"fc1": 40, "fc2": 20, "fc3": 12} and remaining == {}
    assert counted_flops(slimmed) == ChannelSpace(model, SHAPE).flops(widths)


def test_weight_masks_remove_no_channel_and_stay_on_the_slimmed_network(small_mlp):
    masks = compute_masks(small_mlp, "lowest", 0.5, layers="all_but_last")
    slimmed, widths, remaining = slim(apply_masks(small_mlp, masks), masks, (1, 8, 8))
    assert widths == {"fc1": 40, "fc2": 30, "fc3": 20}
    assert remaining.keys() == masks.keys() and all(torch.equal(remaining[k], masks[k]) for k in masks)


def test_a_channel_feeding_a_batchnorm_is_kept_unless_the_batchnorm_is_masked_too():
    model = trained_looking(*MODELS["resnet20"])
    space = ChannelSpace(model, SHAPE)
    layer = space.layers[0]
    weight_only = {f"{layer}.weight": torch.ones_like(dict(model.named_parameters())[f"{layer}.weight"])}
    weight_only[f"{layer}.weight"][0] = 0
    assert bool(space.kept_channels(weight_only)[layer][0])
    keep = {layer: torch.arange(space.channels[layer]) != 0}
    assert not bool(space.kept_channels(space.parameter_masks(keep))[layer][0])


def test_flops_are_differentiable_in_the_widths():
    model = trained_looking(*MODELS["resnet20"])
    space = ChannelSpace(model, SHAPE)
    widths = {layer: torch.tensor(float(c), requires_grad=True) for layer, c in space.channels.items()}
    space.flops(widths).backward()
    assert all(w.grad > 0 for w in widths.values())


def test_a_slimmed_checkpoint_loads_with_weights_only(tmp_path):
    model = trained_looking(*MODELS["mobilenetv2"])
    space = ChannelSpace(model, SHAPE)
    slimmed, widths, _ = slim(model, space.parameter_masks(random_half(space)), SHAPE)
    arch, kwargs = MODELS["mobilenetv2"]
    spec = {"arch": arch, "input_shape": list(SHAPE), "num_classes": 10, **kwargs, "widths": widths}
    save_checkpoint(tmp_path / "slim.pt", slimmed, spec)
    loaded, loaded_spec = load_checkpoint(tmp_path / "slim.pt")
    assert loaded_spec["widths"] == widths
    x = torch.rand(4, *SHAPE)
    torch.testing.assert_close(loaded.eval()(x), slimmed.eval()(x))
