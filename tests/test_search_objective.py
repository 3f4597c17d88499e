"""The terms of DDNP's Eq. 10 and how Algorithm 1 routes their gradients; DP's Gumbel-sigmoid gates."""

import pytest
import torch

from prunebench.pruning.search.ddnp import DDNP, DDNPParams
from prunebench.pruning.search.dp import DifferentiablePruning, DPParams
from prunebench.pruning.search.flops import FlopsModel, budget_flops, flops_regularizer

CHANNELS = (8, 16, 12)
FLOPS = FlopsModel(CHANNELS, constant=1000.0, linear=(10.0, 20.0, 5.0))


def test_regularizer_is_zero_at_or_below_budget_and_grows_above():
    budget = 100.0
    below = torch.tensor([10.0, 50.0, 99.9, 100.0], requires_grad=True)
    flops_regularizer(below, budget).sum().backward()
    assert torch.equal(flops_regularizer(below.detach(), budget), torch.zeros(4))
    assert torch.equal(below.grad, torch.zeros(4))
    above = torch.tensor([100.5, 120.0, 200.0, 400.0])
    values = flops_regularizer(above, budget)
    assert (values > 0).all() and (values[1:] > values[:-1]).all()
    assert values[2].item() == pytest.approx(torch.log(torch.tensor(2.0)).item())
    assert flops_regularizer(torch.tensor(50.0), budget, "two_sided").item() == pytest.approx(
        torch.log(torch.tensor(2.0)).item()
    )


def test_budget_is_a_share_of_the_prunable_flops():
    offset, budget = budget_flops(FLOPS, 0.5)
    assert offset == 1000.0 and budget == pytest.approx(0.5 * (80 + 320 + 60))
    assert budget_flops(FLOPS, 0.5, "total") == (0.0, pytest.approx(0.5 * 1460))
    with pytest.raises(ValueError, match="p=1.5"):
        budget_flops(FLOPS, 1.5)


def ddnp_searcher(**params):
    torch.manual_seed(0)
    return DDNP(DDNPParams(**params)).searcher(FLOPS, 0.5, torch.Generator())


def grads(module):
    return {name: p.grad for name, p in module.named_parameters()}


def test_the_loss_reaches_the_importance_generator_only():
    searcher = ddnp_searcher()
    masks = searcher.train_masks()
    sum((m * torch.randn(m.shape)).sum() for m in masks).backward()  # a stand-in for L through the gated network
    assert all(g is None for g in grads(searcher.width_generator).values())
    assert all(g is not None and g.abs().sum() > 0 for g in grads(searcher.importance_generator).values())


def test_constraint_and_regularizer_reach_the_generators_as_in_step_4():
    # R depends on the widths only; C reaches both sides (each differentiated with the other held)
    searcher = ddnp_searcher(rho=0.0)
    searcher.train_masks()
    searcher.penalty().backward()
    assert searcher.width_generator.fc.weight.grad.abs().sum() > 0  # k ~ 0.95: T above pT
    assert all(g is None or g.abs().sum() == 0 for g in grads(searcher.importance_generator).values())

    searcher = ddnp_searcher(lam=0.0)
    searcher.train_masks()
    k, raw = searcher._state
    penalty = searcher.penalty()
    fractions = torch.stack([torch.sigmoid(s / 0.4).mean() for s in raw])
    assert penalty.item() == pytest.approx(2.0 * ((k - fractions) ** 2).sum().item(), rel=1e-5)  # rho C
    penalty.backward()
    assert searcher.width_generator.fc.weight.grad.abs().sum() > 0
    assert all(g.abs().sum() > 0 for g in grads(searcher.importance_generator).values())


def test_final_masks_keep_round_ck_channels():
    searcher = ddnp_searcher()
    k = searcher.width_generator().detach()
    masks = searcher.final_masks()
    assert [int(m.sum()) for m in masks] == [max(1, round(float(c * kk))) for c, kk in zip(CHANNELS, k)]


def test_gumbel_sigmoid_gates_are_noisy_in_training_and_deterministic_at_evaluation():
    params = DPParams(initial_logit=0.0)
    searcher = DifferentiablePruning(params).searcher(FLOPS, 0.5, torch.Generator().manual_seed(0))
    first, second = searcher.train_masks(), searcher.train_masks()
    assert all(((m == 0) | (m == 1)).all() for m in first)
    assert any(not torch.equal(a, b) for a, b in zip(first, second))  # fresh logistic noise each step
    with torch.no_grad():
        for theta in searcher.logits:
            theta.copy_(torch.linspace(-1, 1, theta.numel()))
    evaluations = [searcher.final_masks() for _ in range(3)]
    assert all(torch.equal(a, b) for a, b in zip(evaluations[0], evaluations[2]))
    assert all(torch.equal(m, theta.detach() > 0) for m, theta in zip(evaluations[0], searcher.logits))


def test_dp_gates_pass_straight_through_gradients_and_the_regularizer():
    searcher = DifferentiablePruning(DPParams()).searcher(FLOPS, 0.5, torch.Generator().manual_seed(0))
    masks = searcher.train_masks()
    (sum(m.sum() for m in masks) + searcher.penalty()).backward()
    assert all(theta.grad is not None and theta.grad.abs().sum() > 0 for theta in searcher.logits)


def test_a_closed_layer_keeps_its_strongest_channel():
    searcher = DifferentiablePruning(DPParams(initial_logit=-1.0)).searcher(FLOPS, 0.5, torch.Generator())
    assert [int(m.sum()) for m in searcher.final_masks()] == [1, 1, 1]


def test_log_abs_consistency_and_bad_params_are_named():
    searcher = ddnp_searcher(consistency="log_abs", lam=0.0)
    searcher.train_masks()
    k, raw = searcher._state
    fractions = torch.stack([torch.sigmoid(s / 0.4).mean() for s in raw])
    assert searcher.penalty().item() == pytest.approx(2.0 * (k.log() - fractions.log()).abs().sum().item(), rel=1e-5)
    for key, value in (
        ("importance", "lstm"),
        ("score_function", "tanh"),
        ("consistency", "l1"),
        ("regularizer", "hinge"),
    ):
        with pytest.raises(ValueError, match=key):
            DDNPParams(**{key: value})


def test_config_schema_enumerates_the_choices_of_the_search_methods():
    from prunebench.pruning.params import method_params, params_schema

    schema = params_schema("ddnp")["properties"]
    assert schema["importance"]["enum"] == ["gru_fc", "fc", "channel"]
    assert schema["window"] == {"type": "number"}
    assert params_schema("dp")["properties"]["regularizer"]["enum"] == ["one_sided", "two_sided"]
    assert method_params("ddnp", {"window": 0.0, "importance": "fc"}) == DDNPParams(window=0.0, importance="fc")
    with pytest.raises(ValueError, match="gate"):
        method_params("dp", {"gate": 1})
