"""The search stage on a tiny conv net defined here: channel gates through hooks, FLOPs fitted from
torch.utils.flop_counter, and end-to-end DDNP / DP searches on random data that bring the FLOPs to the budget."""

import pytest
import torch
from torch import nn

from prunebench.data import PreparedData
from prunebench.metrics.cost import forward_flops
from prunebench.pruning.search import ChannelGates, FlopsModel, SearchSettings, search, search_data
from prunebench.pruning.search.ddnp import DDNP, DDNPParams
from prunebench.pruning.search.dp import DifferentiablePruning, DPParams
from prunebench.training.failure import TrainingDiverged

INPUT = (1, 8, 8)
WIDTHS = (8, 12, 16)
PRUNABLE = {"bn1": 8, "bn2": 12, "bn3": 16}  # gated after BatchNorm, so a closed channel is exactly zero


class TinyNet(nn.Module):
    def __init__(self, widths=WIDTHS, classes=4):
        super().__init__()
        w1, w2, w3 = widths
        self.conv1, self.bn1 = nn.Conv2d(1, w1, 3, padding=1, bias=False), nn.BatchNorm2d(w1)
        self.conv2, self.bn2 = nn.Conv2d(w1, w2, 3, padding=1, bias=False), nn.BatchNorm2d(w2)
        self.conv3, self.bn3 = nn.Conv2d(w2, w3, 3, padding=1, bias=False), nn.BatchNorm2d(w3)
        self.fc = nn.Linear(w3, classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = nn.functional.max_pool2d(torch.relu(self.bn2(self.conv2(x))), 2)
        x = torch.relu(self.bn3(self.conv3(x)))
        return self.fc(x.mean((2, 3)))


def count(widths):
    return forward_flops(TinyNet(tuple(widths)), INPUT)


@pytest.fixture(scope="module")
def flops():
    return FlopsModel.fit(count, list(WIDTHS))


def test_flops_model_reproduces_the_counted_flops_of_the_network_at_any_width(flops):
    assert [(l, m) for l, m, _ in flops.pairs] == [(0, 1), (1, 2)]  # a chain of gated convolutions
    for widths in ((8, 12, 16), (1, 1, 1), (3, 7, 2), (5, 12, 9)):
        assert flops(torch.tensor(widths, dtype=torch.float64)).item() == pytest.approx(count(widths))
    assert flops.constant == 0  # every layer of this net, the classifier too, scales with a prunable width


def test_flops_model_refuses_couplings_it_cannot_express():
    def coupled(widths):  # layers 0 and 2 interact directly
        return 1000 + sum(widths) + widths[0] * widths[2]

    with pytest.raises(ValueError, match="beyond consecutive pairs"):
        FlopsModel.fit(coupled, list(WIDTHS))


def test_gates_mask_output_channels_of_named_layers_and_are_removed():
    torch.manual_seed(0)
    model = TinyNet().eval()
    x = torch.randn(2, *INPUT)
    dense = model(x)
    inputs = {}
    model.conv3.register_forward_pre_hook(lambda m, i: inputs.__setitem__("conv3", i[0]))  # relu(gated bn2), pooled
    with ChannelGates(model, PRUNABLE) as gates:
        assert torch.equal(model(x), dense)  # no masks set: no gating
        masks = [torch.ones(8), (torch.arange(12) % 3 == 0).float(), torch.ones(16)]
        gates.set(masks)
        gated = model(x)
        closed = torch.arange(12) % 3 != 0
        assert (inputs["conv3"][:, closed] == 0).all() and (inputs["conv3"][:, ~closed] != 0).any()
        assert not torch.allclose(gated, dense)
        with pytest.raises(ValueError, match="sizes"):
            gates.set([torch.ones(8)])
    assert torch.equal(model(x), dense)
    with pytest.raises(KeyError, match="bn9"):
        ChannelGates(model, {"bn9": 4})


def random_data(seed=0, n=384, heldout=128):
    generator = torch.Generator().manual_seed(seed)
    images = lambda m: torch.randint(0, 256, (m, *INPUT), generator=generator, dtype=torch.uint8)  # noqa: E731
    labels = lambda m: torch.randint(0, 4, (m,), generator=generator)  # noqa: E731
    return PreparedData(
        images(n), labels(n), images(heldout), labels(heldout), images(8), labels(8), list("abcd"), "random"
    )


def trained_tiny_net():
    torch.manual_seed(0)
    model = TinyNet()
    model.train()
    with torch.no_grad():  # BatchNorm running statistics of the random images
        for _ in range(5):
            model(torch.rand(64, *INPUT))
    return model.eval()


# A larger step than the document's Adam 1e-3 so that a few dozen steps move the widths (g_k starts at k ~ 0.95).
SETTINGS = SearchSettings(epochs=4, batch_size=32, prune_size=256)


@pytest.mark.parametrize(
    "method", [DDNP(DDNPParams(lr=0.05)), DifferentiablePruning(DPParams(lr=0.2))], ids=["ddnp", "dp"]
)
def test_search_brings_the_flops_to_the_budget_on_a_frozen_network(method, flops):
    model = trained_tiny_net()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    data = search_data(random_data(), SETTINGS.prune_size, seed=0)
    result = search(model, PRUNABLE, flops, data, method, 0.5, SETTINGS, seed=0)
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items())  # backbone frozen
    assert all(p.requires_grad for p in model.parameters())  # and handed back as it came
    assert model.bn1._forward_hooks == {}  # gates removed
    history = result.history
    assert [row["epoch"] for row in history] == list(range(5))
    budget = 0.5 * flops.prunable
    assert history[0]["flops"] - flops.constant > 1.5 * budget
    assert any(row["within_budget"] for row in history)
    # the last masks at the budget, up to the rounding of C_l k_l to whole channels (DDNP's soft widths settle at it)
    last = history[-1]
    assert last["flops"] - flops.constant <= 1.15 * budget
    assert result.selected_epoch == 4
    assert list(result.masks) == list(PRUNABLE)
    assert [int(m.sum()) for m in result.masks.values()] == [last[f"kept_{i}"] for i in range(3)]
    assert flops(
        torch.tensor([float(m.sum()) for m in result.masks.values()], dtype=torch.float64)
    ).item() == pytest.approx(last["flops"])
    assert all(0 <= row["heldout_accuracy"] <= 1 for row in history)


def test_search_is_deterministic_and_selects_on_held_out_data_only(flops):
    data = search_data(random_data(), 128, seed=1)
    settings = SearchSettings(epochs=2, batch_size=32, prune_size=128, select="best_heldout")
    method = DifferentiablePruning(DPParams(lr=0.2))
    runs = [search(trained_tiny_net(), PRUNABLE, flops, data, method, 0.5, settings, seed=3) for _ in range(2)]
    assert runs[0].history == runs[1].history
    assert all(torch.equal(a, b) for a, b in zip(runs[0].masks.values(), runs[1].masks.values()))
    within = [row for row in runs[0].history if row["within_budget"]]
    best = max(within, key=lambda row: (row["heldout_accuracy"], row["epoch"]))["epoch"] if within else 2
    assert runs[0].selected_epoch == best


def test_search_data_draws_the_pruning_subset_from_the_training_split():
    data = random_data()
    chosen = search_data(data, 100, seed=0)
    assert len(chosen.prune_y) == 100 and torch.equal(chosen.heldout_x, data.val_x)
    rows = {tuple(x.flatten().tolist()) for x in data.train_x}
    assert all(tuple(x.flatten().tolist()) in rows for x in chosen.prune_x)
    with pytest.raises(ValueError, match="prune_size=1000"):
        search_data(data, 1000, seed=0)


def test_the_history_carries_each_searchers_gate_state(flops):
    data = search_data(random_data(), 64, seed=0)
    settings = SearchSettings(epochs=1, batch_size=32, prune_size=64)
    ddnp = search(trained_tiny_net(), PRUNABLE, flops, data, DDNP(DDNPParams(lr=0.05)), 0.5, settings, seed=0).history
    assert all({"mean_width", "mean_score_fraction", "scores_saturated"} <= set(row) for row in ddnp)
    assert ddnp[0]["mean_width"] == pytest.approx(torch.sigmoid(torch.tensor(3.0)).item(), abs=0.1)  # the +3 bias
    dp = search(
        trained_tiny_net(), PRUNABLE, flops, data, DifferentiablePruning(DPParams(lr=0.2)), 0.5, settings, seed=0
    ).history
    assert dp[0]["mean_logit"] == dp[0]["min_logit"] == 3.0
    assert dp[1]["min_logit"] < 3.0


def test_ddnp_counts_a_score_as_saturated_beyond_four_temperatures(flops):
    searcher = DDNP(DDNPParams()).searcher(flops, 0.5, torch.Generator())
    heads = searcher.importance_generator.heads
    with torch.no_grad():
        for head in heads:
            head.weight.zero_()
    assert searcher.gate_state()["scores_saturated"] == 0.0
    assert searcher.gate_state()["mean_score_fraction"] == pytest.approx(0.5)
    with torch.no_grad():
        heads[0].weight.fill_(1.0)  # layer 0's scores: 256 positive features summed, far beyond 4 t
    state = searcher.gate_state()
    assert state["scores_saturated"] == pytest.approx(WIDTHS[0] / sum(WIDTHS))
    assert state["mean_score_fraction"] == pytest.approx((1.0 + 0.5 + 0.5) / 3)


def test_a_diverging_search_stops_with_the_stage_named(flops):
    data = search_data(random_data(), 64, seed=0)
    settings = SearchSettings(epochs=2, batch_size=32, prune_size=64)
    broken = trained_tiny_net()
    with torch.no_grad():
        broken.fc.bias.fill_(float("nan"))
    with pytest.raises(TrainingDiverged, match=r"search: non-finite loss in epoch 1 \(config strict: true"):
        search(broken, PRUNABLE, flops, data, DDNP(DDNPParams()), 0.5, settings, seed=0)
    recorded = search(broken, PRUNABLE, flops, data, DDNP(DDNPParams()), 0.5, settings, seed=0, record_divergence=True)
    assert recorded.failed == "search: non-finite loss in epoch 1"
    assert [row["epoch"] for row in recorded.history] == [0] and recorded.selected_epoch == 0, (
        "the epochs before it only"
    )
    assert set(recorded.masks) == set(PRUNABLE), "the masks of the last finite epoch go on to slimming, marked failed"
