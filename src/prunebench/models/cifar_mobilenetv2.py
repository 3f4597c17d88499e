"""MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov & Chen, "MobileNetV2: Inverted residuals and linear bottlenecks",
2018) for CIFAR-sized inputs: the document's inverted-residual blocks (1x1 expansion by t, 3x3 depthwise, linear 1x1
projection; a residual where stride is 1 and widths agree; no expansion convolution where t = 1), with the usual CIFAR
changes: a stride-1 stem and stride 1 in the second stage (so 32x32 inputs are downsampled 8x, not 32x), a 1x1
conv to 1280 channels, global average pooling and a Linear classifier.

Prunable (`channel_prunable`): each block's expanded width, i.e. the output channels of the convolution feeding its
depthwise convolution (the expansion conv; for the t = 1 block, the stem). `width_multiplier` scales every width as
in the document (rounded to a multiple of 8 for multipliers >= 1; below 1, to at least 1 channel, so tiny CPU
networks are possible); input channels and resolution come from the dataset.
"""

from __future__ import annotations

from torch import nn

from prunebench.models.registry import MODELS

# (expansion t, output channels c, repeats n, first stride s): the document's Table 2 with the CIFAR strides.
SETTINGS = ((1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))
STEM, LAST = 32, 1280


def _scaled(channels: int, multiplier: float) -> int:
    if multiplier >= 1.0:
        return max(8, int(channels * multiplier + 4) // 8 * 8)
    return max(1, round(channels * multiplier))


def _conv_bn(in_channels, out_channels, kernel, stride=1, groups=1, relu=True) -> list[nn.Module]:
    layers = [
        nn.Conv2d(in_channels, out_channels, kernel, stride, kernel // 2, groups=groups, bias=False),
        nn.BatchNorm2d(out_channels),
    ]
    return layers + [nn.ReLU6(inplace=True)] if relu else layers


class InvertedResidual(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, stride: int, expansion: int, hidden: int):
        super().__init__()
        self.residual = stride == 1 and in_channels == out_channels
        layers = _conv_bn(in_channels, hidden, 1) if expansion != 1 else []
        layers += _conv_bn(hidden, hidden, 3, stride, groups=hidden)
        layers += _conv_bn(hidden, out_channels, 1, relu=False)
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


class CifarMobileNetV2(nn.Module):
    def __init__(self, input_shape, num_classes: int, width_multiplier: float = 1.0):
        super().__init__()
        stem = _scaled(STEM, width_multiplier)
        self.stem = nn.Sequential(*_conv_bn(input_shape[0], stem, 3))
        blocks, prunable, in_channels = [], [], stem
        for expansion, channels, repeats, first_stride in SETTINGS:
            out_channels = _scaled(channels, width_multiplier)
            for i in range(repeats):
                hidden = in_channels * expansion
                prunable.append(f"blocks.{len(blocks)}.conv.0" if expansion != 1 else "stem.0")
                blocks.append(
                    InvertedResidual(in_channels, out_channels, first_stride if i == 0 else 1, expansion, hidden)
                )
                in_channels = out_channels
        self.blocks = nn.Sequential(*blocks)
        last = _scaled(LAST, max(1.0, width_multiplier))
        self.head = nn.Sequential(*_conv_bn(in_channels, last, 1))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(last, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
        self.channel_prunable = prunable

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        return self.classifier(self.pool(x).flatten(1))


@MODELS.register("cifar_mobilenetv2")
def cifar_mobilenetv2(input_shape, num_classes, width_multiplier: float = 1.0) -> CifarMobileNetV2:
    return CifarMobileNetV2(tuple(input_shape), num_classes, width_multiplier)
