"""torchvision AlexNet, VGG16 and ResNet50 for 001's paper config (CIFAR-10/100).

Small inputs (32x32 CIFAR, 28x28 grey images) are resized inside the model to `input_size` (bilinear; 224 as for
ImageNet, the resolution the pretrained filters expect; AlexNet needs at least 63), grey images are repeated to
three channels, and the ImageNet mean/std normalization is applied. ImageNet weights are read only from a local
file (`weights:` a path to torchvision's state dict, e.g. resnet50-0676ba61.pth); with `weights: null` the network
starts from scratch. The 1000-way head is replaced by a `num_classes`-way Linear that stays the last Linear in
definition order, so `prune.layers: last` prunes the classifier's final layer.
"""
from __future__ import annotations

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


def _build(name: str, input_shape, num_classes: int, weights: str | None, input_size: int | None) -> nn.Module:
    import torchvision

    if input_shape[0] not in (1, 3):
        raise ValueError(f"{name} takes 1- or 3-channel images, got input_shape {tuple(input_shape)}")
    net = getattr(torchvision.models, name)(weights=None)
    if weights is not None:
        path = Path(weights).expanduser()
        if not path.exists():
            raise FileNotFoundError(f"model kwarg weights: no ImageNet weights file at {path}")
        net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    if name == "resnet50":
        net.fc = nn.Linear(net.fc.in_features, num_classes)
    else:  # alexnet, vgg16: classifier[-1] is the last Linear
        net.classifier[-1] = nn.Linear(net.classifier[-1].in_features, num_classes)
    return ImageNetAdapter(net, input_size)


@MODELS.register("tv_alexnet")
def tv_alexnet(input_shape, num_classes, weights: str | None = None, input_size: int | None = 224) -> nn.Module:
    return _build("alexnet", input_shape, num_classes, weights, input_size)


@MODELS.register("tv_vgg16")
def tv_vgg16(input_shape, num_classes, weights: str | None = None, input_size: int | None = 224) -> nn.Module:
    return _build("vgg16", input_shape, num_classes, weights, input_size)


@MODELS.register("tv_resnet50")
def tv_resnet50(input_shape, num_classes, weights: str | None = None, input_size: int | None = 224) -> nn.Module:
    return _build("resnet50", input_shape, num_classes, weights, input_size)
