"""torchvision networks: AlexNet, VGG16 and ResNet-50 for 001's paper config (CIFAR-10/100); ResNet-34, ResNet-50,
MobileNetV2 and MobileNetV3-small for 002's ImageNet runs ("pre-trained models released from pytorch").

Small inputs (32x32 CIFAR, 28x28 grey images) are resized inside the model to `input_size` (bilinear; 224 as for
ImageNet, the resolution the pretrained filters expect; AlexNet needs at least 63), grey images are repeated to
three channels, and the ImageNet mean/std normalization is applied. ImageNet weights are read only from a local
file (`weights:` a path to torchvision's state dict, e.g. resnet50-0676ba61.pth); with `weights: null` the network
starts from scratch. The 1000-way head is replaced by a `num_classes`-way Linear that stays the last Linear in
definition order, so `prune.layers: last` prunes the classifier's final layer.

Channel pruning (`channel_prunable`, the layers DDNP gates on, as for the CIFAR ResNet and MobileNetV2 here): a ResNet
basic block's first conv, a bottleneck's first two convs (residual channels are never pruned); a MobileNet inverted
residual's expanded width, the output channels of its 1x1 expansion conv (a block that starts with its depthwise conv
has no expansion, and nothing prunable). Torch-Pruning's DependencyGraph couples the rest (BatchNorm, depthwise
convs, MobileNetV3's squeeze-excitation). AlexNet and VGG16, without such blocks, declare no list (every Linear/Conv2d
but the classifier).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from prunebench.models.registry import MODELS

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class ImageNetAdapter(nn.Module):
    def __init__(self, net: nn.Module, input_size: int | None):
        super().__init__()
        self.input_size = input_size
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[1] == 1:
            x = x.expand(-1, 3, -1, -1)
        if self.input_size and tuple(x.shape[-2:]) != (self.input_size, self.input_size):
            x = F.interpolate(x, size=(self.input_size, self.input_size), mode="bilinear", align_corners=False)
        return self.net((x - self.mean) / self.std)


def _build(
    name: str, input_shape, num_classes: int, weights: str | None = None, input_size: int | None = 224
) -> nn.Module:
    import torchvision

    if input_shape[0] not in (1, 3):
        raise ValueError(f"{name} takes 1- or 3-channel images, got input_shape {tuple(input_shape)}")
    net = getattr(torchvision.models, name)(weights=None)
    if weights is not None:
        path = Path(weights).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"model kwarg weights: no ImageNet weights file at {path}")
        net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    if name.startswith("resnet"):
        net.fc = nn.Linear(net.fc.in_features, num_classes)
    else:  # alexnet, vgg16, mobilenets: classifier[-1] is the last Linear
        net.classifier[-1] = nn.Linear(net.classifier[-1].in_features, num_classes)
    model = ImageNetAdapter(net, input_size)
    prunable = _channel_prunable(net)
    if prunable:
        model.channel_prunable = [f"net.{layer}" for layer in prunable]
    return model


def _channel_prunable(net: nn.Module) -> list[str]:
    """The convs whose output channels DDNP prunes (module docstring), in network order."""
    from torchvision.models import mobilenetv2, mobilenetv3, resnet

    layers = []
    for name, block in net.named_modules():
        if isinstance(block, resnet.BasicBlock):
            layers.append(f"{name}.conv1")
        elif isinstance(block, resnet.Bottleneck):
            layers += [f"{name}.conv1", f"{name}.conv2"]
        elif isinstance(block, (mobilenetv2.InvertedResidual, mobilenetv3.InvertedResidual)):
            first, conv = next((n, m) for n, m in block.named_modules() if isinstance(m, nn.Conv2d))
            if conv.groups == 1:
                layers.append(f"{name}.{first}")
    return layers


# torchvision's name of each network, registered as tv_<name> (config: {arch: tv_resnet50, weights: ..., input_size:
# ...}).
TORCHVISION_NETS = ("alexnet", "vgg16", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small")
for _name in TORCHVISION_NETS:
    MODELS.register(f"tv_{_name}")(partial(_build, _name))
