"""The CIFAR-sized VGG-16 of the lottery-ticket experiment that 003's Figure 2 reports (Liu et al. 2019, "Rethinking
the Value of Network Pruning"), for 003's paper config: the 13 3x3 convolutions of VGG-16 with batch normalization,
max-pooling after blocks 1-4, global average pooling and one Linear classifier (the CIFAR variant of the authors'
code; global pooling also takes 28x28 images)."""

from __future__ import annotations

from torch import nn

from prunebench.models.registry import MODELS

VGG16 = (64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512)


@MODELS.register("cifar_vgg16")
def cifar_vgg16(input_shape: tuple[int, ...], num_classes: int) -> nn.Sequential:
    layers, channels = [], input_shape[0]
    for entry in VGG16:
        if entry == "M":
            layers.append(nn.MaxPool2d(2))
            continue
        layers += [nn.Conv2d(channels, entry, 3, padding=1, bias=False), nn.BatchNorm2d(entry), nn.ReLU()]
        channels = entry
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, num_classes))
