"""CIFAR-style ResNet (He, Zhang, Ren & Sun, "Deep residual learning for image recognition", 2016, Section 4.2):
a 3x3 stem of 16 channels, three stages of n basic blocks with 16, 32, 64 channels (depth = 6n + 2: ResNet-20 n = 3,
ResNet-56 n = 9), global average pooling and a Linear classifier. Shortcuts are option A: identity, or, where a block
halves the resolution and doubles the channels, every other pixel padded with zero channels (no parameters).

The network DDNP prunes: the output channels of each block's first convolution (`channel_prunable`), never the
residual channels. `width_multiplier` scales every width (rounded, at least 1), so a default run fits 2 CPU cores;
input channels and resolution come from the dataset (28x28 greyscale Fashion-MNIST runs as is).
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import nn

from prunebench.models.registry import MODELS

STAGE_WIDTHS = (16, 32, 64)


class OptionAShortcut(nn.Module):
    """Identity where shapes agree; else subsample by `stride` and pad the new channels with zeros."""

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.stride = stride
        self.pad_before = (out_channels - in_channels) // 2
        self.pad_after = out_channels - in_channels - self.pad_before

    def forward(self, x):
        if self.stride > 1:
            x = x[:, :, :: self.stride, :: self.stride]
        if self.pad_before or self.pad_after:
            x = F.pad(x, (0, 0, 0, 0, self.pad_before, self.pad_after))
        return x


class BasicBlock(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = OptionAShortcut(in_channels, out_channels, stride)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, input_shape, num_classes: int, depth: int = 20, width_multiplier: float = 1.0):
        super().__init__()
        if (depth - 2) % 6 or depth < 8:
            raise ValueError(f"cifar_resnet depth must be 6n + 2 with n >= 1 (20, 56, ...), got {depth}")
        blocks_per_stage = (depth - 2) // 6
        widths = [max(1, round(w * width_multiplier)) for w in STAGE_WIDTHS]
        self.conv1 = nn.Conv2d(input_shape[0], widths[0], 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        stages, in_channels = [], widths[0]
        for stage, out_channels in enumerate(widths):
            blocks = []
            for i in range(blocks_per_stage):
                blocks.append(BasicBlock(in_channels, out_channels, 2 if stage > 0 and i == 0 else 1))
                in_channels = out_channels
            stages.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = stages
        self.fc = nn.Linear(in_channels, num_classes)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)
        self.channel_prunable = [f"layer{s}.{i}.conv1" for s in (1, 2, 3) for i in range(blocks_per_stage)]

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        return self.fc(F.adaptive_avg_pool2d(out, 1).flatten(1))


@MODELS.register("cifar_resnet")
def cifar_resnet(input_shape, num_classes, depth: int = 20, width_multiplier: float = 1.0) -> CifarResNet:
    return CifarResNet(tuple(input_shape), num_classes, depth, width_multiplier)
