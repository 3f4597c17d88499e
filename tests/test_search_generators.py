"""DDNP's width and importance generators (Eq. 8, 9) and the ablation variants of the document's Fig. 4."""

import pytest
import torch

from prunebench.pruning.search.generators import ImportanceGenerator, WidthGenerator

CHANNELS = [8, 16, 12]


def test_width_generator_starts_from_nearly_the_whole_network():
    torch.manual_seed(0)
    k = WidthGenerator(len(CHANNELS))()
    assert k.shape == (3,)
    assert ((k > 0.8) & (k < 1)).all()  # sigmoid(FC(x) + 3)
    assert [name for name, _ in WidthGenerator(3).named_parameters()] == ["fc.weight"]  # x_k is fixed


@pytest.mark.parametrize("architecture", ["gru_fc", "fc", "channel"])
def test_importance_generator_gives_one_score_per_channel_and_learns(architecture):
    torch.manual_seed(0)
    generator = ImportanceGenerator(CHANNELS, architecture)
    scores = generator()
    assert [s.shape[0] for s in scores] == CHANNELS
    sum(s.sum() for s in scores).backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in generator.parameters())
    assert "inputs" not in dict(generator.named_parameters())  # x_s is fixed


def test_only_the_gru_relates_the_layers():
    torch.manual_seed(0)
    for architecture, coupled in (("gru_fc", True), ("fc", False)):
        generator = ImportanceGenerator(CHANNELS, architecture)
        before = generator()[2].detach().clone()
        generator.inputs[0] += 1.0  # the first layer's random input
        assert (not torch.equal(generator()[2].detach(), before)) == coupled


def test_unknown_architecture_is_named():
    with pytest.raises(ValueError, match="'lstm'"):
        ImportanceGenerator(CHANNELS, "lstm")
