"""001 models: the last prunable layer is the classifier's final Linear; small inputs work."""

import pytest
import torch
from torch import nn

from prunebench.models import build_model, load_checkpoint, save_checkpoint
from prunebench.pruning import compute_masks, prunable_weights


def _last_linear(model):
    return [m for m in model.modules() if isinstance(m, nn.Linear)][-1]


def test_small_cnn_prunes_its_classifier_and_round_trips(tmp_path):
    torch.manual_seed(0)
    model = build_model("small_cnn", (1, 28, 28), 10, channels=[4, 8], hidden=30)
    assert model(torch.rand(3, 1, 28, 28)).shape == (3, 10)
    ((name, weight),) = prunable_weights(model, "last").items()
    assert name == "classifier.out.weight" and weight is _last_linear(model).weight and weight.shape == (10, 30)
    masks = compute_masks(model, "lowest", 0.5, layers="last")
    assert list(masks) == [name] and int(masks[name].sum()) == 150
    spec = {"arch": "small_cnn", "input_shape": [1, 28, 28], "num_classes": 10, "channels": [4, 8], "hidden": 30}
    save_checkpoint(tmp_path / "m.pt", model, spec)
    loaded, _ = load_checkpoint(tmp_path / "m.pt")
    assert torch.equal(loaded(torch.ones(1, 1, 28, 28)), model(torch.ones(1, 1, 28, 28)))


@pytest.mark.parametrize("arch", ["tv_alexnet", "tv_resnet50"])
def test_torchvision_nets_take_cifar_inputs_and_prune_the_final_linear(arch):
    torch.manual_seed(0)
    model = build_model(arch, (3, 32, 32), 100, input_size=64).eval()
    with torch.no_grad():
        assert model(torch.rand(2, 3, 32, 32)).shape == (2, 100)
    ((name, weight),) = prunable_weights(model, "last").items()
    assert weight is _last_linear(model).weight and weight.shape[0] == 100


def test_vgg16_prunes_the_final_linear_and_missing_weights_fail_clearly():
    model = build_model("tv_vgg16", (3, 32, 32), 10)
    ((name, weight),) = prunable_weights(model, "last").items()
    assert name == "net.classifier.6.weight" and weight.shape == (10, 4096)
    with pytest.raises(FileNotFoundError, match="weights"):
        build_model("tv_resnet50", (3, 32, 32), 10, weights="/nonexistent/resnet50.pth")
