"""The iterative family: level masks, rewinding, random re-init, random masks, Scratch-B's budget."""

import copy

import pytest
import torch

from prunebench.data import load_raw, prepare
from prunebench.determinism import seed_everything
from prunebench.metrics.cost import forward_flops, remaining_weight_flops
from prunebench.models import build_model
from prunebench.pruning import FixedMasks, prunable_weights
from prunebench.pruning.iterative import (
    RewindPoint,
    initial_model,
    level_masks,
    level_sparsity,
    retraining_start,
    scratch_b_epochs,
)
from prunebench.training import TrainConfig, train

SPEC = {"arch": "mlp", "hidden": [40, 30], "input_shape": [1, 8, 8], "num_classes": 10}


def perturbed(model, seed):
    """Stand-in for a level's retraining: every weight moved."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.1 * torch.randn(p.shape, generator=g))
    return model


@pytest.mark.parametrize("scope", ["local", "global"])
def test_level_sparsity_is_exactly_one_minus_one_minus_p_to_the_level_and_pruned_weights_stay_pruned(scope):
    model, masks, rate = build_model(**SPEC), None, 0.2
    for level in range(1, 6):
        new = level_masks(perturbed(model, level), masks, rate, level, scope=scope, output_rate_factor=1.0)
        target = 1 - (1 - rate) ** level
        assert level_sparsity(rate, level) == pytest.approx(target, abs=1e-15)
        groups = new.values() if scope == "local" else [torch.cat([m.flatten() for m in new.values()])]
        for mask in groups:
            assert int((mask == 0).sum()) == round(target * mask.numel())
        if masks is not None:
            assert all(torch.all(new[name][masks[name] == 0] == 0) for name in masks)
        masks = new


@pytest.mark.parametrize("scope", ["local", "global"])
def test_the_output_layer_is_pruned_at_half_the_rate_by_default(scope):
    model, masks, rate = build_model(**SPEC), None, 0.5
    for level in range(1, 4):
        new = level_masks(perturbed(model, level), masks, rate, level, scope=scope)
        *hidden, output = new
        assert int((new[output] == 0).sum()) == round((1 - (1 - rate / 2) ** level) * new[output].numel())
        groups = [new[name] for name in hidden]
        if scope == "global":
            groups = [torch.cat([mask.flatten() for mask in groups])]
        for mask in groups:
            assert int((mask == 0).sum()) == round((1 - (1 - rate) ** level) * mask.numel())
        if masks is not None:
            assert all(torch.all(new[name][masks[name] == 0] == 0) for name in masks)
        masks = new


def test_level_masks_remove_the_smallest_surviving_weights():
    model = perturbed(build_model(**SPEC), 0)
    first = level_masks(model, None, 0.5, 1)
    second = level_masks(model, first, 0.5, 2)
    for name, weight in prunable_weights(model).items():
        newly_removed = (first[name] == 1) & (second[name] == 0)
        kept = second[name] == 1
        assert weight.abs()[newly_removed].max() <= weight.abs()[kept].min()


def digits():
    return prepare(load_raw("digits"), val_size=200, seed=0, train_subset=300)


@pytest.mark.parametrize("step", [0, 4])
def test_rewinding_restores_exactly_the_saved_weights_under_the_mask(step):
    seed_everything(0, threads=1)
    data = digits()
    spec = {**SPEC, "input_shape": list(data.input_shape)}
    model = build_model(**spec)
    init = copy.deepcopy(model.state_dict())
    point = RewindPoint(step)
    trained = train(
        model, data, TrainConfig(epochs=1, batch_size=50, lr=3e-3, select="last"), 0, "dense", sparsifier=point
    ).model
    if step == 0:
        assert all(torch.equal(point.state[k], init[k]) for k in init)
    else:
        assert any(not torch.equal(point.state[k], init[k]) for k in init)
    masks = level_masks(trained, None, 0.5, 1)
    start, held = retraining_start("rewind", masks, point.state, spec, seed=0)
    assert held is masks
    state = start.state_dict()
    for name, saved in point.state.items():
        expected = saved * masks[name] if name in masks else saved
        assert torch.equal(state[name], expected), name


def test_random_reinit_keeps_the_masks_and_changes_every_surviving_weight():
    model = build_model(**SPEC)
    masks = level_masks(perturbed(model, 1), None, 0.5, 1)
    rewind = build_model(**SPEC).state_dict()
    start, held = retraining_start("reinit", masks, rewind, SPEC, seed=0)
    assert held is masks
    state = start.state_dict()
    for name, mask in masks.items():
        assert torch.all(state[name][mask == 0] == 0)
        assert torch.all(state[name][mask == 1] != rewind[name][mask == 1])
    again, _ = retraining_start("reinit", masks, rewind, SPEC, seed=0)
    assert all(torch.equal(v, again.state_dict()[k]) for k, v in state.items())


@pytest.mark.parametrize("arm", ["reinit", "scratch_b"])
def test_a_fresh_initialization_is_scaled_to_each_layers_kept_weights(arm):
    model = perturbed(build_model(**SPEC), 1)
    masks = level_masks(model, None, 0.75, 1, output_rate_factor=1.0)  # a quarter of each layer kept
    rewind = build_model(**SPEC).state_dict()
    scaled, _ = retraining_start(arm, masks, rewind, SPEC, seed=0)
    plain, _ = retraining_start(arm, masks, rewind, SPEC, seed=0, reinit_scaling="none")
    for name in masks:
        assert torch.allclose(scaled.state_dict()[name], 2.0 * plain.state_dict()[name])  # 1 / sqrt(1/4)
    # what the scaling is for: the first layer's pre-activations keep the dense initialization's spread
    x = torch.randn(2000, 64, generator=torch.Generator().manual_seed(0))
    first = next(iter(masks))
    dense_std = (x @ initial_model(SPEC, 0).state_dict()[first].T).std()
    assert (x @ scaled.state_dict()[first].T).std() == pytest.approx(float(dense_std), rel=0.15)
    assert (x @ plain.state_dict()[first].T).std() < 0.6 * dense_std
    with pytest.raises(ValueError, match="reinit_scaling"):
        retraining_start(arm, masks, rewind, SPEC, seed=0, reinit_scaling="kaiming")


def test_random_masks_keep_each_layers_sparsity_and_the_rewound_weights():
    model = perturbed(build_model(**SPEC), 2)
    masks = level_masks(model, None, 0.7, 1, scope="global")
    rewind = build_model(**SPEC).state_dict()
    start, random = retraining_start("random_masks", masks, rewind, SPEC, seed=0)
    for name, mask in masks.items():
        assert int(random[name].sum()) == int(mask.sum())
        assert not torch.equal(random[name], mask)
        assert torch.equal(start.state_dict()[name], rewind[name] * random[name])


def test_the_dense_initialization_is_what_a_dense_run_starts_from():
    seed_everything(3, threads=1)
    dense = build_model(**SPEC)
    rebuilt = initial_model(SPEC, 3)
    assert all(torch.equal(v, rebuilt.state_dict()[k]) for k, v in dense.state_dict().items())


def test_scratch_b_epochs_follow_the_flops_ratio_of_the_remaining_weights():
    model = build_model("small_cnn", (1, 8, 8), 10, channels=[4], hidden=16)
    dense = forward_flops(model, (1, 8, 8))
    assert remaining_weight_flops(model, {}, (1, 8, 8)) == dense
    masks = level_masks(perturbed(model, 0), None, 0.75, 1, output_rate_factor=1.0)  # every layer to 25% of its weights
    pruned = remaining_weight_flops(model, masks, (1, 8, 8))
    assert pruned == pytest.approx(dense / 4, rel=0.02)  # conv and linear FLOPs scale with the weights kept
    assert scratch_b_epochs(10, dense, pruned) == 40
    assert scratch_b_epochs(4, 100.0, 10.0) == 40
    assert scratch_b_epochs(4, 100.0, 30.0) == 14  # 13.33 rounded up: at least the dense compute
    assert scratch_b_epochs(4, 100.0, 100.0) == 4
    # a cap on the factor: at most max_factor x the base epochs
    assert scratch_b_epochs(4, 100.0, 10.0, max_factor=2.0) == 8
    assert scratch_b_epochs(4, 100.0, 30.0, max_factor=5.0) == 14
    with pytest.raises(ValueError, match="max_factor"):
        scratch_b_epochs(4, 100.0, 10.0, max_factor=0.5)


def test_fixed_masks_hold_a_retraining():
    seed_everything(0, threads=1)
    data = digits()
    spec = {**SPEC, "input_shape": list(data.input_shape)}
    masks = level_masks(perturbed(build_model(**spec), 0), None, 0.8, 1)
    start, masks = retraining_start("reinit", masks, {}, spec, seed=0)
    model = train(
        start, data, TrainConfig(epochs=1, batch_size=50, lr=3e-3), 0, "retrain", sparsifier=FixedMasks(masks)
    ).model
    assert all(torch.all(p[masks[n] == 0] == 0) for n, p in model.named_parameters() if n in masks)
