"""The channel-pruned architectures of 002: CIFAR ResNet (option A) and CIFAR MobileNetV2."""

import pytest
import torch
from torch import nn

from prunebench.models import build_model
from prunebench.pruning import channel_prunable


pytestmark = pytest.mark.usefixtures("one_thread")


def parameters(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("depth, expected", [(20, 0.27e6), (56, 0.85e6)])
def test_cifar_resnet_has_the_documented_size(depth, expected):
    # He et al. 2016, Table 6: ResNet-20 0.27M, ResNet-56 0.85M parameters
    model = build_model("cifar_resnet", (3, 32, 32), 10, depth=depth)
    assert parameters(model) == pytest.approx(expected, rel=0.01)
    assert len(channel_prunable(model)) == (depth - 2) // 2  # one per basic block


def test_option_a_shortcuts_have_no_parameters():
    model = build_model("cifar_resnet", (3, 32, 32), 10, depth=20)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 19  # stem + 2 per block, no projection shortcut


def test_mobilenetv2_prunes_each_blocks_expanded_width():
    model = build_model("cifar_mobilenetv2", (3, 32, 32), 10)
    assert parameters(model) == pytest.approx(2.24e6, rel=0.02)
    modules = dict(model.named_modules())
    prunable = channel_prunable(model)
    assert len(prunable) == 17 and prunable[0] == "stem.0"
    # every prunable conv feeds a depthwise conv of the same width
    assert all(modules[name].out_channels in (32, 16 * 6, 24 * 6, 32 * 6, 64 * 6, 96 * 6, 160 * 6) for name in prunable)


@pytest.mark.parametrize("arch", ["cifar_resnet", "cifar_mobilenetv2"])
def test_greyscale_28x28_inputs_and_a_width_multiplier(arch):
    full = build_model(arch, (1, 28, 28), 10)
    narrow = build_model(arch, (1, 28, 28), 10, width_multiplier=0.25)
    assert narrow(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert parameters(narrow) < parameters(full) / 4


def test_cifar_resnet_rejects_a_depth_that_is_not_6n_plus_2():
    with pytest.raises(ValueError, match="6n \\+ 2"):
        build_model("cifar_resnet", (3, 32, 32), 10, depth=21)
