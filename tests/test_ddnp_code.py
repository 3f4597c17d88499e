"""`ddnp_code`: the search of DDNP's released code (gaosh/DDNP, commit 5417577): its sort key on the feature norms,
its two-sided regularizer, the width mask's custom gradient to k, determinism, and a short search on a tiny CIFAR
ResNet."""

import pytest
import torch

from prunebench.data import PreparedData
from prunebench.models import build_model
from prunebench.pruning.channels import ChannelSpace
from prunebench.pruning.params import method_params
from prunebench.pruning.search import ChannelGates, FlopsModel, SearchSettings, search, search_data
from prunebench.pruning.search.channel_search import gate_points, space_flops_model
from prunebench.pruning.search.code_masks import sorted_width_mask, width_mask
from prunebench.pruning.search.ddnp_code import DDNPCode, DDNPCodeParams
from prunebench.pruning.search.loop import feature_norms

CHANNELS = (8, 24, 40)


def linear_flops():
    return FlopsModel(CHANNELS, 100.0, (1.0, 2.0, 3.0))


def searcher(**params):
    torch.manual_seed(0)
    return DDNPCode(DDNPCodeParams(**params)).searcher(linear_flops(), 0.5, torch.Generator().manual_seed(0))


def test_the_width_mask_has_the_codes_window_and_floor_and_passes_the_mean_gradient_to_k():
    k = torch.tensor(0.5, requires_grad=True)
    hard = sorted_width_mask(k, 16, int(0.05 * 16), 0.0)  # int(0.8) = 0: hard top round(8) below C = 20
    assert hard.tolist() == [1.0] * 8 + [0.0] * 8
    soft = sorted_width_mask(torch.tensor(0.5), 40, 2, 0.025)  # C k = 20, window j = 18..22
    assert soft[:18].tolist() == [1.0] * 18 and soft[23:].tolist() == pytest.approx([0.025] * 17)
    assert soft[20].item() == pytest.approx(0.525) and soft[18] == 1.0 and soft[19] > 0.525 > soft[21]
    mask = width_mask(k, 16, 0, 0.025)
    weights = torch.arange(16.0)
    (mask * weights).sum().backward()
    assert k.grad.item() == pytest.approx(weights.mean().item())  # dJ/dk = mean dJ/d(mask), not the mask's slope


def test_a_channel_with_a_larger_feature_norm_ranks_higher_at_equal_score():
    s = searcher()
    with torch.no_grad():
        for head in s.importance_generator.heads:
            head.weight.zero_()  # equal scores in every layer
        s.width_generator.fc.weight.zero_()  # k = sigmoid(3): 23 of layer 1's 24 channels
    norms = [torch.arange(1.0, c + 1).flip(0) for c in CHANNELS]  # channel 0 has the largest norm
    norms[1] = torch.arange(1.0, CHANNELS[1] + 1)  # layer 1: the last channel has it
    s.set_feature_norms(norms)
    s.train()
    for _ in range(3):
        s.train_masks()
    ranked = [torch.argsort(key, descending=True) for key in s.channel_scores()]
    assert ranked[0].tolist() == list(range(CHANNELS[0]))
    assert ranked[1].tolist() == list(range(CHANNELS[1]))[::-1]
    k = s.width_generator().detach()
    kept = s.final_masks()[1]
    assert kept.sum() == round(float(k[1]) * CHANNELS[1]) == 23 and not kept[0] and kept[-1]


def test_the_regularizer_is_two_sided_and_pushes_toward_the_budget_from_below():
    s = searcher()
    s.set_feature_norms([torch.ones(c) for c in CHANNELS])
    with torch.no_grad():
        s.width_generator.fc.weight.fill_(0.0)
    for bias, sign in ((3.0, 1.0), (-3.0, -1.0)):  # k = sigmoid(3): above the budget; sigmoid(-3): below it
        s.width_generator.bias = bias
        s.zero_grad()
        s.train_masks()
        s.penalty().backward()
        assert (sign * s.width_generator.fc.weight.grad @ s.width_generator.inputs.squeeze(0) > 0).all(), bias
    one_sided = searcher(regularizer="one_sided")
    one_sided.set_feature_norms([torch.ones(c) for c in CHANNELS])
    one_sided.width_generator.bias = -3.0
    one_sided.train_masks()
    assert one_sided.penalty().item() == 0.0


def test_the_loss_reaches_k_through_the_mask_and_s_bar_through_the_gate_only():
    s = searcher()
    s.set_feature_norms([torch.rand(c, generator=torch.Generator().manual_seed(c)) for c in CHANNELS])
    masks = s.train_masks()
    loss = sum((m * torch.linspace(-1, 1, m.numel())).sum() for m in masks)  # a loss of the masks alone
    loss.backward()
    assert s.width_generator.fc.weight.grad.abs().sum() > 0  # k_gradient's backward
    assert all(h.weight.grad.abs().sum() > 0 for h in s.importance_generator.heads)  # through G
    assert all(0 <= float(m.detach().min()) and float(m.detach().max()) <= 1 for m in masks)


def test_the_ip_path_adds_the_detached_consistency_term_and_halves_the_widths():
    s = searcher(ip=True)
    s.set_feature_norms([torch.ones(c) for c in CHANNELS])
    s.train_masks()
    k, hard = s._state
    assert all(set(h.detach().unique().tolist()) <= {0.0, 1.0} for h in hard)
    regularizer = s.flops_penalty((torch.stack([h.sum() for h in hard]) + k * torch.tensor(CHANNELS)) / 2)
    consistency = s.penalty() - regularizer
    gap = torch.stack([h.detach().mean() for h in hard]) - k.detach()  # |gap + r|, |r| <= 0.02
    low, high = torch.log((gap.abs() - 0.02).clamp_min(0) + 1).sum(), torch.log(gap.abs() + 0.02 + 1).sum()
    assert low <= consistency.item() <= high
    heads = [h.weight for h in s.importance_generator.heads]
    to_scores = torch.autograd.grad(consistency, heads, retain_graph=True)
    assert all(g.abs().max() < 1e-6 for g in to_scores)  # the gates detached: the term reaches k only
    assert torch.autograd.grad(consistency, s.width_generator.fc.weight)[0].abs().sum() > 0
    with pytest.raises(ValueError, match="score_function sigmoid"):
        DDNPCodeParams(ip=True, score_function="abs")


def test_the_config_names_the_method_and_its_parameters():
    assert method_params("ddnp_code", {"ip": True, "width_lr": 0.01}) == DDNPCodeParams(ip=True, width_lr=0.01)
    with pytest.raises(ValueError, match="no parameter"):
        method_params("ddnp_code", {"rho": 2.0})
    assert DDNPCodeParams().regularizer == "two_sided" and DDNPCodeParams().lam == 2.0


# A tiny CIFAR ResNet on random 8x8 greyscale images; lr 0.05 on both generators so that a few dozen steps move k.
SETTINGS = SearchSettings(epochs=3, batch_size=32, prune_size=128)
INPUT = (1, 8, 8)


def tiny_resnet():
    torch.manual_seed(0)
    model = build_model("cifar_resnet", INPUT, 4, depth=8, width_multiplier=0.5)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(32, *INPUT))
    return model.eval()


def random_data():
    generator = torch.Generator().manual_seed(0)
    images = lambda m: torch.randint(0, 256, (m, *INPUT), generator=generator, dtype=torch.uint8)  # noqa: E731
    labels = lambda m: torch.randint(0, 4, (m,), generator=generator)  # noqa: E731
    return PreparedData(images(256), labels(256), images(64), labels(64), images(8), labels(8), list("abcd"), "random")


def resnet_search(params: DDNPCodeParams):
    model = tiny_resnet()
    space = ChannelSpace(model, INPUT)
    prunable = dict(space.channels)
    points = {layer: gate_points(space, layer) for layer in space.layers}
    data = search_data(random_data(), SETTINGS.prune_size, seed=0)
    result = search(model, prunable, space_flops_model(space), data, DDNPCode(params), 0.5, SETTINGS, 0, points=points)
    return result, model, space, points, data


def test_a_short_search_on_a_tiny_resnet_changes_the_widths_and_is_deterministic():
    params = DDNPCodeParams(lr=0.05, width_lr=0.05)
    first, model, space, points, data = resnet_search(params)
    second = resnet_search(params)[0]
    kept = [[row[f"kept_{i}"] for i in range(len(space.layers))] for row in first.history]
    assert kept[-1] != kept[0] and sum(kept[-1]) < sum(kept[0])
    assert first.history[-1]["mean_width"] < first.history[0]["mean_width"]
    assert first.history == second.history
    assert all(torch.equal(a, b) for a, b in zip(first.masks.values(), second.masks.values()))
    with ChannelGates(model, dict(space.channels), points) as gates:
        norms = feature_norms(model, gates, data.prune_x, 32, torch.device("cpu"))
    assert [n.shape[0] for n in norms] == list(space.channels.values()) and all((n >= 0).all() for n in norms)
