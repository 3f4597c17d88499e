import pytest
import torch
import torch.nn.utils.prune as torch_prune
from torch import nn

from conftest import ROOT
from prunebench.pruning import FAMILIES, PRUNING_METHODS, apply_masks, compute_masks, mask_stats, prunable_weights

SPARSITIES = [0.0, 0.25, 0.5, 0.9, 0.99]


def zeros(mask):
    return int((mask == 0).sum())


@pytest.mark.parametrize("method", ["lowest", "highest", "random"])
@pytest.mark.parametrize("sparsity", SPARSITIES)
def test_local_weight_pruning_zeroes_exactly_round_k_n_per_layer(small_mlp, method, sparsity):
    masks = compute_masks(small_mlp, method, sparsity, layers="all")
    for name, weight in prunable_weights(small_mlp).items():
        assert masks[name].shape == weight.shape
        assert zeros(masks[name]) == round(sparsity * weight.numel())


@pytest.mark.parametrize("sparsity", SPARSITIES)
def test_global_scope_prunes_the_fraction_of_all_weights_together(small_mlp, sparsity):
    masks = compute_masks(small_mlp, "lowest", sparsity, scope="global")
    total = sum(m.numel() for m in masks.values())
    assert sum(zeros(m) for m in masks.values()) == round(sparsity * total)
    if 0 < sparsity:
        magnitudes = torch.cat([w.detach().abs().flatten() for w in prunable_weights(small_mlp).values()])
        kept = torch.cat([m.flatten() for m in masks.values()]).bool()
        assert magnitudes[~kept].max() <= magnitudes[kept].min()


@pytest.mark.parametrize("sparsity", SPARSITIES)
def test_lowest_equals_torch_l1_unstructured(small_mlp, sparsity):
    masks = compute_masks(small_mlp, "lowest", sparsity)
    for name, weight in prunable_weights(small_mlp).items():
        layer = nn.Linear(weight.shape[1], weight.shape[0], bias=False)
        layer.weight.data = weight.detach().clone()
        torch_prune.l1_unstructured(layer, "weight", amount=sparsity)
        assert torch.equal(masks[name], layer.weight_mask)


@pytest.mark.parametrize("sparsity", SPARSITIES)
def test_unit_zeroes_whole_rows_of_smallest_l2_norm_like_torch_ln_structured(small_mlp, sparsity):
    masks = compute_masks(small_mlp, "unit", sparsity)
    for name, weight in prunable_weights(small_mlp).items():
        mask = masks[name]
        rows_removed = mask.sum(dim=1) == 0
        assert torch.all((mask.sum(dim=1) == 0) | (mask.sum(dim=1) == weight.shape[1])), "partial rows"
        assert int(rows_removed.sum()) == round(sparsity * weight.shape[0])
        norms = weight.detach().norm(dim=1)
        if 0 < rows_removed.sum() < len(norms):
            assert norms[rows_removed].max() <= norms[~rows_removed].min()
        layer = nn.Linear(weight.shape[1], weight.shape[0], bias=False)
        layer.weight.data = weight.detach().clone()
        torch_prune.ln_structured(layer, "weight", amount=sparsity, n=2, dim=0)
        assert torch.equal(mask, layer.weight_mask)


def test_highest_keeps_exactly_the_smallest_weights(small_mlp):
    masks = compute_masks(small_mlp, "highest", 0.75)
    for name, weight in prunable_weights(small_mlp).items():
        kept = weight.detach().abs()[masks[name].bool()]
        removed = weight.detach().abs()[~masks[name].bool()]
        assert kept.max() <= removed.min()
        assert kept.numel() == weight.numel() - round(0.75 * weight.numel())


def test_random_is_seeded_and_reproducible(small_mlp):
    a = compute_masks(small_mlp, "random", 0.5, seed=1)
    b = compute_masks(small_mlp, "random", 0.5, seed=1)
    c = compute_masks(small_mlp, "random", 0.5, seed=2)
    assert all(torch.equal(a[n], b[n]) for n in a)
    assert any(not torch.equal(a[n], c[n]) for n in a)


def test_layer_selection_leaves_the_output_layer_dense(small_mlp):
    names = list(prunable_weights(small_mlp, "all"))
    assert list(compute_masks(small_mlp, "lowest", 0.5, layers="all_but_last")) == names[:-1]
    assert list(compute_masks(small_mlp, "lowest", 0.5, layers="last")) == names[-1:]
    with pytest.raises(ValueError, match="prune.layers"):
        prunable_weights(small_mlp, "middle")


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5])
def test_sparsity_outside_unit_interval_is_rejected(small_mlp, bad):
    with pytest.raises(ValueError, match="sparsity"):
        compute_masks(small_mlp, "lowest", bad)


def test_unknown_method_names_the_registered_ones(small_mlp):
    with pytest.raises(KeyError, match="lowest"):
        compute_masks(small_mlp, "optimal_brain_damage", 0.5)
    assert {"lowest", "highest", "random", "unit"} <= set(PRUNING_METHODS.names())


def test_every_registered_method_is_of_a_family_the_workflow_routes():
    assert {PRUNING_METHODS[name].family for name in PRUNING_METHODS.names()} == set(FAMILIES)


def test_apply_masks_zeroes_exactly_the_masked_weights(small_mlp):
    masks = compute_masks(small_mlp, "lowest", 0.6, layers="all_but_last")
    before = {n: p.detach().clone() for n, p in small_mlp.named_parameters()}
    apply_masks(small_mlp, masks)
    for name, param in small_mlp.named_parameters():
        expected = before[name] * masks[name] if name in masks else before[name]
        assert torch.equal(param.detach(), expected)


def test_mask_stats_count_the_pruned_weights_per_layer(small_mlp):
    masks = compute_masks(small_mlp, "lowest", 0.5)
    for row in mask_stats(masks):
        assert row["pruned"] == zeros(masks[row["layer"]]) and row["weights"] == masks[row["layer"]].numel()
        assert row["sparsity"] == pytest.approx(0.5, abs=0.01)


def test_taylor_scores_are_weight_times_gradient_summed_over_batches(small_mlp):
    from prunebench.data import load_raw, prepare
    from prunebench.pruning.masks import batch_gradients

    data = prepare(load_raw("digits"), val_size=100, seed=0)
    masks = compute_masks(small_mlp, "taylor", 0.5, params={"batches": 3, "batch_size": 20}, data=data)
    gradients = batch_gradients(small_mlp, list(masks), data, batches=3, batch_size=20)
    for name, weight in prunable_weights(small_mlp).items():
        assert len(gradients[name]) == 3
        score = sum((weight.detach() * g).abs() for g in gradients[name])
        assert score[masks[name] == 0].max() <= score[masks[name] == 1].min()
    assert any(not torch.equal(masks[n], m) for n, m in compute_masks(small_mlp, "lowest", 0.5).items())
    with pytest.raises(ValueError, match="needs training data"):
        compute_masks(small_mlp, "taylor", 0.5)
    with pytest.raises(ValueError, match="has no parameter"):
        compute_masks(small_mlp, "lowest", 0.5, params={"batches": 3})


def test_a_new_criterion_with_a_parameter_is_one_class_and_a_config_line(small_mlp):
    """What docs/adding-a-method.md shows: register a class with a Params dataclass, and the config
    schema accepts its parameter and names a wrong one."""
    from dataclasses import dataclass

    from prunebench.config import load_schema
    from prunebench.pruning import PruningMethod

    @dataclass(frozen=True)
    class PowerParams:
        power: float = 1.0

    @PRUNING_METHODS.register("test_magnitude_power")
    class MagnitudePower(PruningMethod):
        Params = PowerParams

        def importance(self, weight, context):
            return weight.abs() ** self.params.power

    try:
        masks = compute_masks(small_mlp, "test_magnitude_power", 0.5, params={"power": 2.0})
        assert all(torch.equal(masks[n], m) for n, m in compute_masks(small_mlp, "lowest", 0.5).items())
        import jsonschema

        schema = load_schema(ROOT / "workflow/schemas/config.schema.yaml")
        validator = jsonschema.Draft202012Validator(schema["$defs"]["prune_variant"] | {"$defs": schema["$defs"]})
        assert validator.is_valid({"method": "test_magnitude_power", "params": {"power": 2.0}})
        assert not validator.is_valid({"method": "test_magnitude_power", "params": {"power": "two"}})
        assert not validator.is_valid({"method": "test_magnitude_power", "params": {"exponent": 2.0}})
    finally:
        PRUNING_METHODS._entries.pop("test_magnitude_power")
