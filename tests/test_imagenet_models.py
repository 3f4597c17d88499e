"""002's ImageNet networks (torchvision ResNet-34, ResNet-50, MobileNetV2, MobileNetV3-small): the channels DDNP
prunes, slimming to the masked network's outputs and the FLOPs predicted from the widths, slimmed checkpoints, and the
search's gates. The full networks at 3x32x32 without resizing (input_size None), so all of it runs in seconds on CPU."""

import copy
from dataclasses import dataclass

import pytest
import torch
from torch import nn

from prunebench.data import PreparedData
from prunebench.models import build_model, load_checkpoint, save_checkpoint
from prunebench.pruning import ChannelSpace, apply_masks, slim
from prunebench.pruning.search import ChannelGates, SearchSettings, search_channels
from prunebench.pruning.search.channel_search import gate_module
from test_slimming import counted_flops, random_half, trained_looking

SHAPE = (3, 32, 32)
ARCHS = ("tv_resnet34", "tv_resnet50", "tv_mobilenet_v2", "tv_mobilenet_v3_small")
KWARGS = {"input_size": None}


def resnet_layers(blocks_per_stage, convs):
    return [f"net.layer{s}.{i}.{conv}" for s, n in enumerate(blocks_per_stage, 1) for i in range(n) for conv in convs]


# DDNP's prunable layers, from the architectures' block counts: ResNet-34 3-4-6-3 basic blocks (first conv),
# ResNet-50 3-4-6-3 bottlenecks (first two convs); MobileNetV2 blocks 2-17 and V3-small blocks 2-11 expand (the first
# block of each starts with its depthwise conv).
PRUNABLE = {
    "tv_resnet34": resnet_layers((3, 4, 6, 3), ["conv1"]),
    "tv_resnet50": resnet_layers((3, 4, 6, 3), ["conv1", "conv2"]),
    "tv_mobilenet_v2": [f"net.features.{i}.conv.0.0" for i in range(2, 18)],
    "tv_mobilenet_v3_small": [f"net.features.{i}.block.0.0" for i in range(2, 12)],
}


@dataclass
class Pruned:
    arch: str
    model: nn.Module  # dense
    space: ChannelSpace
    keep: dict  # the kept channels, about half of every prunable layer's
    masked: nn.Module
    slimmed: nn.Module
    widths: dict
    remaining: dict  # the masks left on the slimmed network


@pytest.fixture(scope="module", params=ARCHS)
def pruned(request):
    """One ImageNet network with about half of every prunable layer's channels removed (one thread: small inputs)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    model = trained_looking(request.param, KWARGS, SHAPE)
    space = ChannelSpace(model, SHAPE)
    keep = random_half(space)
    masks = space.parameter_masks(keep)
    masked = apply_masks(copy.deepcopy(model), masks).eval()
    slimmed, widths, remaining = slim(masked, masks, SHAPE)
    yield Pruned(request.param, model, space, keep, masked, slimmed.eval(), widths, remaining)
    torch.set_num_threads(threads)


def inputs(n=4, seed=2):
    return torch.rand(n, *SHAPE, generator=torch.Generator().manual_seed(seed))


def test_the_prunable_layers_are_ddnps_and_the_head_has_num_classes(pruned):
    assert pruned.space.layers == PRUNABLE[pruned.arch]
    assert [m for m in pruned.model.modules() if isinstance(m, nn.Linear)][-1].out_features == 10
    with torch.no_grad():
        assert pruned.model(inputs()).shape == (4, 10)


def test_slimmed_network_gives_the_masked_outputs_and_the_predicted_flops(pruned):
    with torch.no_grad():
        torch.testing.assert_close(pruned.slimmed(inputs()), pruned.masked(inputs()), rtol=1e-4, atol=1e-5)
    assert pruned.remaining == {}
    assert pruned.widths == {layer: int(kept.sum()) for layer, kept in pruned.keep.items()}
    space = pruned.space
    assert counted_flops(pruned.model, SHAPE) == space.flops()
    assert counted_flops(pruned.slimmed, SHAPE) == space.flops(pruned.widths) < 0.8 * space.flops()


def test_only_the_prunable_layers_and_what_they_feed_change_width(pruned):
    """Residual and block-output channels stay: every conv or BatchNorm not producing a prunable layer's channels keeps
    its output width."""
    produced = {name for layer in pruned.space.layers for name in pruned.space.produces[layer]}
    width = lambda m: m.out_channels if isinstance(m, nn.Conv2d) else m.num_features  # noqa: E731
    before = {
        n: width(m)
        for n, m in pruned.model.named_modules()
        if isinstance(m, (nn.Conv2d, nn.BatchNorm2d)) and n not in produced
    }
    after = {n: width(m) for n, m in pruned.slimmed.named_modules() if n in before}
    assert before and after == before


def test_a_slimmed_checkpoint_loads_with_weights_only(pruned, tmp_path):
    spec = {"arch": pruned.arch, "input_shape": list(SHAPE), "num_classes": 10, **KWARGS, "widths": pruned.widths}
    save_checkpoint(tmp_path / "slim.pt", pruned.slimmed, spec)
    loaded, loaded_spec = load_checkpoint(tmp_path / "slim.pt")
    assert loaded_spec["widths"] == pruned.widths
    with torch.no_grad():
        torch.testing.assert_close(loaded.eval()(inputs()), pruned.slimmed(inputs()))


def test_closed_search_gates_give_the_masked_network(pruned):
    """The search gates each prunable layer where a closed gate zeroes what slimming removes (MobileNetV3: before the
    squeeze-excitation, whose last conv scales the channel rather than producing it)."""
    space = pruned.space
    gates = {gate_module(space, layer): space.channels[layer] for layer in space.layers}
    with torch.no_grad(), ChannelGates(pruned.model.eval(), gates) as gated:
        gated.set([pruned.keep[layer].float() for layer in space.layers])
        torch.testing.assert_close(pruned.model(inputs()), pruned.masked(inputs()), rtol=1e-4, atol=1e-5)


def test_imagenet_weights_load_from_a_local_file_under_a_new_head(tmp_path):
    import torchvision

    torch.manual_seed(0)
    released = torchvision.models.mobilenet_v3_small(weights=None)
    torch.save(released.state_dict(), tmp_path / "mobilenet_v3_small.pth")
    model = build_model("tv_mobilenet_v3_small", SHAPE, 10, weights=str(tmp_path / "mobilenet_v3_small.pth"), **KWARGS)
    loaded = model.state_dict()
    assert all(
        torch.equal(loaded[f"net.{k}"], v)
        for k, v in released.state_dict().items()
        if not k.startswith("classifier.3.")
    )
    assert loaded["net.classifier.3.weight"].shape == (10, 1024)


def random_images(n, seed):
    generator = torch.Generator().manual_seed(seed)
    return torch.randint(0, 256, (n, *SHAPE), generator=generator, dtype=torch.uint8), torch.randint(
        0, 10, (n,), generator=generator
    )


def test_a_ddnp_search_step_on_mobilenet_v3_small_gives_masks_that_slim(one_thread):
    model = trained_looking("tv_mobilenet_v3_small", KWARGS, SHAPE)
    data = PreparedData(
        *random_images(16, 0), *random_images(8, 1), *random_images(4, 2), [str(c) for c in range(10)], "random"
    )
    searched = search_channels(
        model, SHAPE, data, "ddnp", {"lr": 0.05}, 0.5, SearchSettings(epochs=1, batch_size=8, prune_size=16), seed=0
    )
    assert [row["epoch"] for row in searched.history] == [0, 1]
    assert list(searched.record["widths"]) == PRUNABLE["tv_mobilenet_v3_small"]
    modules = dict(model.named_modules())
    assert all(isinstance(modules[gate], nn.BatchNorm2d) for gate in searched.record["gates"].values())
    slimmed, widths, _ = slim(apply_masks(copy.deepcopy(model), searched.masks), searched.masks, SHAPE)
    assert widths == searched.record["widths"]
    assert counted_flops(slimmed, SHAPE) == searched.record["searched_flops"]
