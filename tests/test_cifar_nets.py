import torch

from prunebench.models import build_model
from prunebench.pruning import prunable_weights


def test_cifar_vgg16_has_thirteen_convolutions_and_one_classifier():
    vgg = build_model("cifar_vgg16", (3, 32, 32), 10)
    assert vgg(torch.zeros(2, 3, 32, 32)).shape == (2, 10)
    weights = prunable_weights(vgg)
    assert len(weights) == 14 and list(weights.values())[-1].shape == (10, 512)
    assert build_model("cifar_vgg16", (1, 28, 28), 10).eval()(torch.zeros(1, 1, 28, 28)).shape == (1, 10)
