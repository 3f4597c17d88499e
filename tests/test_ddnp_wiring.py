"""The search stage's glue (one FLOPs count for the search and the one-shot criteria; gates where slimming cuts) and
002's F4 claims."""

import copy

import pandas as pd
import pytest
import torch

from prunebench.models import build_model
from prunebench.pruning.channel_criteria import uniform_widths
from prunebench.pruning.channels import ChannelSpace
from prunebench.pruning import apply_masks
from prunebench.pruning.search import ChannelGates
from prunebench.pruning.search.channel_search import gate_points, space_flops_model
from prunebench.pruning.search.flops import budget_flops
from prunebench.studies.ddnp.claims import MARGIN_POINTS, search_claims
from prunebench.studies.ddnp.search_results import final_accuracy


def test_the_search_flops_model_is_the_channel_space_count_and_the_budget_is_the_criteria_budget():
    model = build_model("cifar_resnet", (1, 8, 8), 10, depth=20, width_multiplier=0.25)
    space = ChannelSpace(model, (1, 8, 8))
    flops = space_flops_model(space)
    widths = {
        layer: int(torch.randint(1, c + 1, (1,), generator=torch.Generator().manual_seed(i)))
        for i, (layer, c) in enumerate(space.channels.items())
    }
    assert float(flops(torch.tensor(list(widths.values()), dtype=torch.float64))) == float(space.flops(widths))
    offset, budget = budget_flops(flops, 0.5, "prunable")
    criteria = uniform_widths(space, 0.5, "prunable")
    assert space.flops(criteria) <= offset + budget  # the criteria's widths fit the search's budget


def test_gates_sit_on_the_activated_feature_entering_the_next_conv():
    resnet = ChannelSpace(build_model("cifar_resnet", (3, 32, 32), 10, depth=20), (3, 32, 32))
    assert gate_points(resnet, "layer1.0.conv1") == [("layer1.0.conv2", "input")]
    mobilenet = ChannelSpace(build_model("cifar_mobilenetv2", (3, 32, 32), 10), (3, 32, 32))
    assert gate_points(mobilenet, "blocks.1.conv.0") == [("blocks.1.conv.6", "input")]  # the project conv


def gated_space(arch: str):
    torch.manual_seed(0)
    model = build_model(arch, (1, 8, 8), 10, width_multiplier=0.25).eval()
    with torch.no_grad():  # BatchNorms with shifts, so that some activations are negative before the ReLU
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.bias.normal_()
    space = ChannelSpace(model, (1, 8, 8))
    keep = {layer: torch.arange(c) % 2 == 0 for layer, c in space.channels.items()}
    return model, space, keep


@pytest.mark.parametrize("arch", ["cifar_resnet", "cifar_mobilenetv2"])
def test_the_gated_network_is_the_masked_one(arch):
    model, space, keep = gated_space(arch)
    x = torch.randn(4, 1, 8, 8)
    masked = apply_masks(copy.deepcopy(model), space.parameter_masks(keep)).eval()
    points = {layer: gate_points(space, layer) for layer in space.layers}
    with torch.no_grad(), ChannelGates(model, dict(space.channels), points) as gates:
        gates.set([keep[layer].float() for layer in space.layers])
        torch.testing.assert_close(model(x), masked(x), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("arch", ["cifar_resnet", "cifar_mobilenetv2"])
def test_a_closed_gate_still_receives_a_loss_gradient(arch):
    """Gated after the activation, a closed channel's gate has dL/da = sum of (activation x upstream gradient), which
    is not zero; gated before the ReLU it would be exactly zero (ReLU'(0) = 0) and the channel could never reopen."""
    model, space, keep = gated_space(arch)
    masks = [keep[layer].float().requires_grad_() for layer in space.layers]
    points = {layer: gate_points(space, layer) for layer in space.layers}
    with ChannelGates(model, dict(space.channels), points) as gates:
        gates.set(masks)
        torch.nn.functional.cross_entropy(model(torch.randn(8, 1, 8, 8)), torch.arange(8)).backward()
    closed = [mask.grad[~keep[layer]] for mask, layer in zip(masks, space.layers)]
    assert all((grad != 0).any() for grad in closed)


def curves(finals: dict[str, list[float]]) -> pd.DataFrame:
    rows = []
    for variant, accuracies in finals.items():
        for seed, accuracy in enumerate(accuracies):
            for rate in (0.5, 0.65):
                base = {
                    "dataset": "d",
                    "model": "m",
                    "variant": variant,
                    "method": "ddnp",
                    "target_flops_reduction": rate,
                    "seed": seed,
                }
                rows += [
                    {**base, "epoch": 0, "heldout_accuracy": 0.1, "within_budget": False, "failed": ""},
                    {**base, "epoch": 1, "heldout_accuracy": accuracy, "within_budget": True, "failed": ""},
                ]
    return pd.DataFrame(rows)


def test_a_search_claim_needs_more_than_the_margin_and_the_seed_spread():
    margin = MARGIN_POINTS / 100
    finals = {
        "ddnp": [0.80, 0.80, 0.80],
        "ddnp_hard": [0.80 - 2 * margin] * 3,  # beaten
        "ddnp_gs_fc": [0.80 - 2 * margin] * 3,
        "ddnp_gs_channel": [0.80 - margin / 2] * 3,  # within the margin: not beaten
        "ddnp_abs": [0.80 - 4 * margin, 0.80, 0.80 + 4 * margin],  # mean gap 0, large spread
    }
    claims = {c.claim_id: c for c in search_claims(curves(finals))}
    assert claims["002-C3"].holds is True and "both within budget" in claims["002-C3"].observed
    assert claims["002-C4"].holds is False
    assert claims["002-C5"].holds is None and "ddnp_square" in claims["002-C5"].observed
    assert [c.holds for c in search_claims(None)] == [None, None, None]


def test_a_failed_search_empties_its_row_and_leaves_the_claims_comparing_it_not_tested():
    margin = MARGIN_POINTS / 100
    finals = {
        "ddnp": [0.80] * 2,
        "ddnp_hard": [0.80 - 2 * margin] * 2,
        "ddnp_gs_fc": [0.7] * 2,
        "ddnp_gs_channel": [0.7] * 2,
    }
    searched = curves(finals)
    reason = "search: non-finite loss in epoch 1"
    diverged = (
        (searched["variant"] == "ddnp_hard") & (searched["seed"] == 1) & (searched["target_flops_reduction"] == 0.5)
    )
    searched = searched[~(diverged & (searched["epoch"] == 1))]  # its history stops before the epoch it diverged in
    searched.loc[diverged, "failed"] = reason
    summary = final_accuracy(searched).set_index(["variant", "target_flops_reduction"])
    assert summary.loc[("ddnp_hard", 0.5), "failed"] == reason and pd.isna(
        summary.loc[("ddnp_hard", 0.5), "heldout_accuracy_mean"]
    )
    assert (
        summary.loc[("ddnp_hard", 0.65), "failed"] == ""
        and summary["heldout_accuracy_mean"].notna().sum() == len(summary) - 1
    )
    claims = {c.claim_id: c for c in search_claims(searched)}
    assert claims["002-C3"].holds is None and reason in claims["002-C3"].observed, "ddnp vs ddnp_hard: not tested"
    assert claims["002-C4"].holds is True and reason not in claims["002-C4"].observed, "compares no failed search"


@pytest.mark.parametrize("p", [0.3, 0.8])
def test_the_projection_brings_the_searched_widths_to_the_budget_keeping_their_ratios_and_ranking(p):
    from prunebench.pruning.search.projection import project_to_budget

    model = build_model("cifar_resnet", (1, 8, 8), 10, depth=20, width_multiplier=0.5)
    space = ChannelSpace(model, (1, 8, 8))
    generator = torch.Generator().manual_seed(0)
    scores = {layer: torch.randn(c, generator=generator) for layer, c in space.channels.items()}
    searched = {layer: max(1, c // (2 + i % 3)) for i, (layer, c) in enumerate(space.channels.items())}
    keep = {layer: torch.argsort(torch.argsort(-s)) < searched[layer] for layer, s in scores.items()}
    fixed = space.flops({layer: 0 for layer in space.layers})
    budget = fixed + p * (space.flops() - fixed)
    projected = project_to_budget(space, keep, scores, budget)
    widths = {layer: int(kept.sum()) for layer, kept in projected.items()}
    assert space.flops(widths) <= budget
    for layer, c in space.channels.items():  # tight: no layer's next channel fits (the fill)
        assert widths[layer] == c or space.flops({**widths, layer: widths[layer] + 1}) > budget
    scale = [widths[layer] / searched[layer] for layer in space.layers if widths[layer] < space.channels[layer]]
    assert max(scale) - min(scale) < 0.5  # one factor, up to rounding
    for layer, kept in projected.items():  # the highest-ranked channels
        if not kept.all():
            assert scores[layer][kept].min() >= scores[layer][~kept].max()
