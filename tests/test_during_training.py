"""Training-time pruning methods: the cubic schedule, sparse variational dropout's KL, L0's hard-concrete gates, and
the hand-over of a plain model with masks to evaluation."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
from scipy import integrate, stats

from prunebench.data import load_raw, prepare
from prunebench.determinism import seed_everything
from prunebench.models import build_model, load_checkpoint, save_checkpoint
from prunebench.pruning import PRUNING_METHODS, Variant, apply_masks, load_masks, prunable_weights
from prunebench.pruning.during_training import TrainingPlan, achieved_sparsity, training_sparsifier
from prunebench.pruning.during_training.gradual import GradualParams
from prunebench.pruning.during_training.l0 import BETA, GAMMA, ZETA, expected_l0, hard_concrete_sample
from prunebench.pruning.during_training.sweep import sweep_errors
from prunebench.pruning.during_training.variational_dropout import K1, kl_approximation
from prunebench.training import TrainConfig, evaluate, train, training_images

PLAN = TrainingPlan(train_size=1000, epochs=5, batch_size=50)  # 20 steps per epoch, 100 in all


def digits():
    return prepare(load_raw("digits"), val_size=200, seed=0, train_subset=600)


def variant(method, **params):
    return Variant(method=method, params=params, layers="all")


# --- the cubic schedule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("initial", [0.0, 0.3])
def test_cubic_schedule_hits_its_ends_and_is_monotone(initial):
    schedule = GradualParams(initial_sparsity=initial, begin=0.2, end=0.7, frequency=10).schedule(0.9, PLAN)
    assert (schedule.begin_step, schedule.end_step, schedule.updates) == (20, 70, 5)
    assert schedule.sparsity_at(schedule.begin_step) == pytest.approx(initial, abs=1e-12)
    assert schedule.sparsity_at(schedule.end_step) == pytest.approx(0.9, abs=1e-12)
    values = [schedule.sparsity_at(t) for t in range(PLAN.total_steps + 1)]
    assert all(a <= b for a, b in zip(values, values[1:]))
    assert all(v == pytest.approx(0.9) for v in values[schedule.end_step :])
    # Zhu & Gupta's formula at an interior update
    t = schedule.begin_step + 2 * schedule.frequency
    assert schedule.sparsity_at(t) == pytest.approx(0.9 + (initial - 0.9) * (1 - 2 / 5) ** 3)
    assert [t for t in range(PLAN.total_steps + 1) if schedule.is_update(t)] == [20, 30, 40, 50, 60, 70]


def test_a_window_shorter_than_one_update_is_refused():
    with pytest.raises(ValueError, match="shorter than one update"):
        GradualParams(begin=0.0, end=0.05, frequency=10).schedule(0.9, PLAN)


@pytest.mark.parametrize("method", ["gradual_magnitude", "gradual_random"])
def test_masks_have_exactly_the_scheduled_sparsity_at_every_update_and_only_grow(small_mlp, method):
    sparsifier = training_sparsifier(small_mlp, variant(method, begin=0.0, end=0.5, frequency=10), 0.9, 0, PLAN)
    schedule = sparsifier.schedule
    weights = prunable_weights(small_mlp)
    sparsifier.start(small_mlp)
    previous = {name: torch.ones_like(w) for name, w in weights.items()}
    for step in range(1, PLAN.total_steps + 1):
        with torch.no_grad():  # an optimizer step: every weight moves
            for w in weights.values():
                w.add_(0.01 * torch.randn_like(w))
        sparsifier.after_step(small_mlp, step)
        masks = sparsifier.final_masks()
        at = schedule.sparsity_at(max(s for s in range(step + 1) if schedule.is_update(s)))
        for name, w in weights.items():
            assert int((masks[name] == 0).sum()) == round(at * w.numel())
            assert torch.all(w[masks[name] == 0] == 0), "masked weights are zero after every step"
            assert torch.all(masks[name] <= previous[name]), "a pruned weight stays pruned"
        previous = masks
    assert sparsifier.updates == schedule.updates + 1
    assert achieved_sparsity(sparsifier.final_masks()) == pytest.approx(0.9, abs=1e-3)


def test_gradual_magnitude_removes_the_smallest_weights_at_each_update(small_mlp):
    sparsifier = training_sparsifier(
        small_mlp, variant("gradual_magnitude", begin=0.0, end=0.5, frequency=10), 0.5, 0, PLAN
    )
    weights = {name: w.detach().clone() for name, w in prunable_weights(small_mlp).items()}
    sparsifier.start(small_mlp)  # t0 = 0: the first update, at s_i = 0, masks nothing
    sparsifier.after_step(small_mlp, 10)
    for name, mask in sparsifier.final_masks().items():
        magnitude = weights[name].abs()
        assert magnitude[mask == 0].max() <= magnitude[mask == 1].min()


# --- sparse variational dropout --------------------------------------------------------------------------------


def exact_negative_kl(log_alpha: float) -> float:
    """-KL(q || log-uniform) = 0.5 log alpha - E_{eps ~ N(1, alpha)} log|eps| + C with the paper's C = -k1, by
    quadrature (the integrand's log singularity at 0 split off)."""
    sd = math.exp(log_alpha / 2)
    integrand = lambda e: math.log(abs(e)) * stats.norm.pdf(e, 1, sd)  # noqa: E731
    low, high = 1 - 40 * sd, 1 + 40 * sd
    edges = [low, -1.0, 0.0, 1.0, high] if low < -1 else [low, 0.0, high] if low < 0 else [low, high]
    expectation = sum(integrate.quad(integrand, a, b, limit=500)[0] for a, b in zip(edges, edges[1:]))
    return 0.5 * log_alpha - expectation - K1


def test_vd_kl_approximation_is_finite_and_decreases_with_log_alpha():
    log_alpha = torch.linspace(-8, 8, 1601, dtype=torch.float64)
    kl = kl_approximation(log_alpha)
    assert torch.isfinite(kl).all() and (kl >= 0).all()
    assert (kl[1:] < kl[:-1]).all()
    assert torch.isfinite(kl_approximation(torch.tensor([-1e4, 1e4]))).all()


def test_vd_kl_approximation_matches_the_exact_expectation():
    """Over the clipped range the fit of Molchanov et al. (k1, k2, k3 and C = -k1) is within 0.01 nats of the exact
    negative KL (measured here: at most 0.009, near log alpha = -3.5)."""
    grid = np.linspace(-8, 8, 81)
    approx = -kl_approximation(torch.tensor(grid, dtype=torch.float64)).numpy()
    exact = np.array([exact_negative_kl(a) for a in grid])
    assert np.abs(approx - exact).max() < 0.01


def test_vd_removes_weights_with_log_alpha_at_least_the_threshold(small_mlp):
    sparsifier = training_sparsifier(small_mlp, variant("variational_dropout", threshold=3.0), 0.0, 0, PLAN)
    layer = next(iter(sparsifier.wrappers.values()))
    with torch.no_grad():
        layer.log_sigma2.copy_(
            torch.log(layer.layer.weight.square() + 1e-8)
            + torch.linspace(0, 6, layer.log_sigma2.numel()).view_as(layer.log_sigma2)
        )
    removed = layer.log_alpha(clip=False) >= 3.0
    assert 0 < removed.sum() < removed.numel()
    assert torch.equal(layer.mask().bool(), ~removed)
    assert torch.all(layer.test_weight()[removed] == 0)


# --- L0 gates --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_alpha", [-3.0, -1.0, 0.0, 1.0, 3.0])
def test_hard_concrete_expected_l0_equals_a_monte_carlo_estimate(log_alpha):
    torch.manual_seed(0)
    n = 200_000
    samples = hard_concrete_sample(torch.full((n,), log_alpha, dtype=torch.float64))
    assert samples.min() >= 0 and samples.max() <= 1
    estimate = (samples > 0).double().mean().item()
    expected = expected_l0(torch.tensor(log_alpha)).item()
    assert expected == pytest.approx(1 / (1 + math.exp(-(log_alpha - BETA * math.log(-GAMMA / ZETA)))))
    assert abs(estimate - expected) < 4 * math.sqrt(expected * (1 - expected) / n)


@pytest.mark.parametrize("method", ["l0", "variational_dropout"])
def test_test_time_weights_are_deterministic(small_mlp, method):
    sparsifier = training_sparsifier(small_mlp, variant(method), 0.0, 0, PLAN)
    x = torch.rand(8, 1, 8, 8)
    small_mlp.eval()
    first, second = small_mlp(x), small_mlp(x)
    assert torch.equal(first, second)
    small_mlp.train()
    assert not torch.equal(small_mlp(x), small_mlp(x)), "training draws noise"
    for wrapper in sparsifier.wrappers.values():
        assert torch.equal(wrapper.test_weight(), wrapper.test_weight())


def test_unit_gates_remove_whole_rows(small_mlp):
    sparsifier = training_sparsifier(small_mlp, variant("l0", gates="unit"), 0.0, 0, PLAN)
    for wrapper in sparsifier.wrappers.values():
        with torch.no_grad():
            wrapper.log_alpha[::2] = -10.0
        assert wrapper.log_alpha.shape == (wrapper.layer.weight.shape[0], 1)
        mask = wrapper.mask()
        assert torch.all(mask[::2] == 0) and torch.all(mask[1::2] == 1)


# --- the hand-over to evaluation -------------------------------------------------------------------------------

HANDOVER = [
    ("gradual_magnitude", {"begin": 0.0, "end": 0.5, "frequency": 5}),
    ("gradual_random", {"begin": 0.0, "end": 0.5, "frequency": 5}),
    ("variational_dropout", {"kl_weight": 0.3, "kl_warmup_epochs": 0.5}),
    ("l0", {"l0_weight": 0.3, "initial_log_alpha": -1.5}),  # gates starting near closed: a few steps close some
    ("l0", {"l0_weight": 0.3, "initial_log_alpha": -1.5, "gates": "unit"}),
]


@pytest.mark.parametrize(
    "arch", [{"arch": "mlp", "hidden": [32, 16], "bias": True}, {"arch": "small_cnn", "channels": [4], "hidden": 16}]
)
@pytest.mark.parametrize("method,params", HANDOVER)
def test_the_masks_handed_over_are_what_evaluation_measures(tmp_path, arch, method, params):
    """Train, export, save, reload with weights_only, apply the masks as the evaluate stage does: the plain model
    equals the trained one at test time and no weight survives that its mask removes."""
    seed_everything(0, threads=1)
    data = digits()
    spec = {**arch, "input_shape": list(data.input_shape), "num_classes": data.num_classes}
    model = build_model(**spec)
    config = TrainConfig(epochs=8, batch_size=50, lr=1e-2, select="last")
    plan = TrainingPlan(len(training_images(data, config)[1]), config.epochs, config.batch_size)
    sparsifier = training_sparsifier(model, variant(method, **params), 0.8, 0, plan)
    result = train(model, data, config, 0, stage="sparse", sparsifier=sparsifier)
    trained = evaluate(result.model, data.test_x, data.test_y)
    logits = result.model.eval()(data.test_x[:50].float() / 255)
    plain = sparsifier.export(result.model)
    save_checkpoint(tmp_path / "model.pt", plain, spec)
    torch.save(result.masks, tmp_path / "masks.pt")

    loaded, _ = load_checkpoint(tmp_path / "model.pt")  # weights_only=True
    masks = load_masks(tmp_path / "masks.pt")
    assert set(loaded.state_dict()) == set(build_model(**spec).state_dict()), "the plain architecture"
    assert set(masks) == set(prunable_weights(loaded))
    weights = dict(loaded.named_parameters())
    for name, mask in masks.items():
        assert torch.all(weights[name][mask == 0] == 0), f"{name}: a removed weight survives"
    before = {name: w.detach().clone() for name, w in weights.items()}
    apply_masks(loaded, masks)
    assert all(torch.equal(before[name], w) for name, w in loaded.named_parameters())
    assert evaluate(loaded, data.test_x, data.test_y) == trained
    assert torch.allclose(loaded.eval()(data.test_x[:50].float() / 255), logits, atol=1e-6)
    assert 0 < achieved_sparsity(masks) < 1


# --- sweeps ----------------------------------------------------------------------------------------------------


def study(variants, sweep=None, sparsities=(0.5, 0.9)):
    return {
        "prune": {"layers": "all", "sparsities": list(sparsities), "variants": variants},
        **({"sweep": sweep} if sweep else {}),
    }


def test_sweeps_fit_their_variants():
    good = study(
        {"magnitude": {"method": "gradual_magnitude"}, "vd": {"method": "variational_dropout"}},
        {"vd": {"kl_weight": [0.1, 1.0]}},
    )
    assert sweep_errors("s", good) == []
    errors = sweep_errors("s", study({"vd": {"method": "variational_dropout"}}))
    assert errors and "give a sweep" in errors[0]
    errors = sweep_errors("s", study({"m": {"method": "gradual_magnitude"}}, {"m": {"frequency": [1, 2]}}))
    assert errors and "takes no sweep" in errors[0]
    errors = sweep_errors("s", study({"vd": {"method": "variational_dropout"}}, {"vd": {"kl_weight": [0.1]}}))
    assert errors == ["config key studies.s.sweep.vd.kl_weight: 1 values for 2 prune.sparsities"]
    errors = sweep_errors("s", study({"vd": {"method": "variational_dropout"}}, {"vd": {"lambda": [1, 2]}}))
    assert errors and "no such parameter" in errors[0]
    errors = sweep_errors(
        "s", study({"l0": {"method": "l0", "params": {"gates": "neuron"}}}, {"l0": {"l0_weight": [1, 2]}})
    )
    assert errors and "'neuron' is not one of" in errors[0]
    assert "no such variant" in sweep_errors("s", study({}, {"ghost": {"x": [1, 2]}}))[0]


def test_training_time_methods_are_registered_as_their_family():
    for name in ("gradual_magnitude", "gradual_random", "variational_dropout", "l0"):
        assert PRUNING_METHODS[name].family == "during_training"
    assert (
        PRUNING_METHODS["variational_dropout"].sparsity_is_outcome
        and not PRUNING_METHODS["gradual_magnitude"].sparsity_is_outcome
    )


@pytest.mark.parametrize("method", ["variational_dropout", "l0"])
def test_weight_decay_shrinks_the_weights_and_leaves_the_methods_own_parameters_alone(small_mlp, method):
    from prunebench.training.optim import make_optimizer, parameter_groups

    sparsifier = training_sparsifier(small_mlp, variant(method), 0.5, 0, PLAN)
    own = sparsifier.undecayed()
    names = [name for name, p in small_mlp.named_parameters() if any(p is q for q in own)]
    assert names and all(name.split(".")[-1] in ("log_sigma2", "log_alpha") for name in names)
    cfg = TrainConfig(epochs=1, optimizer="sgd", lr=0.1, momentum=0.0, weight_decay=0.5)
    optimizer = make_optimizer(parameter_groups(small_mlp, own), cfg)
    before = {name: p.detach().clone() for name, p in small_mlp.named_parameters()}
    for p in small_mlp.parameters():
        p.grad = torch.zeros_like(p)
    optimizer.step()  # no gradient: only the decay moves a parameter
    for name, p in small_mlp.named_parameters():
        if name.endswith(("log_sigma2", "log_alpha")):
            assert torch.equal(p, before[name]), name
        else:
            assert torch.allclose(p, before[name] * (1 - 0.1 * 0.5)), name


@pytest.mark.parametrize("method", ["gradual_magnitude", "gradual_random"])
def test_per_layer_exceptions_leave_the_first_layer_dense_and_cap_the_last(small_mlp, method):
    params = {"begin": 0.0, "end": 0.5, "frequency": 10, "prune_first_layer": False, "last_layer_sparsity_cap": 0.5}
    sparsifier = training_sparsifier(small_mlp, variant(method, **params), 0.9, 0, PLAN)
    sparsifier.start(small_mlp)
    for step in range(1, PLAN.total_steps + 1):
        sparsifier.after_step(small_mlp, step)
    first, *middle, last = sparsifier.final_masks().values()
    assert torch.all(first == 1)
    assert all(achieved_sparsity({"m": m}) == pytest.approx(0.9, abs=0.01) for m in middle)
    assert achieved_sparsity({"m": last}) == pytest.approx(0.5, abs=0.01)
    weights = list(prunable_weights(small_mlp).values())
    assert torch.all(weights[0] != 0) and torch.all(weights[-1][last == 0] == 0)
    # the defaults prune every layer to the schedule's sparsity
    plain = training_sparsifier(small_mlp, variant(method, begin=0.0, end=0.5, frequency=10), 0.9, 0, PLAN)
    plain.start(small_mlp)
    plain.after_step(small_mlp, 50)
    assert all(achieved_sparsity({"m": m}) == pytest.approx(0.9, abs=0.01) for m in plain.final_masks().values())
    with pytest.raises(ValueError, match="local scope"):
        training_sparsifier(small_mlp, replace(variant(method, **params), scope="global"), 0.9, 0, PLAN)


def test_each_sweep_point_gets_the_candidate_nearest_its_label_in_log_one_minus_s():
    from prunebench.pruning.during_training.sweep import choose_candidates

    # 1 - s: 0.6, 0.2, 0.03, 0.001 -> 0.5 nearest 0.6; 0.9 (0.1): |log 0.2 - log 0.1| < |log 0.03 - log 0.1|;
    # 0.98 (0.02): 0.03; a failed candidate (None) is never chosen, even where it would be nearest
    assert choose_candidates([0.4, 0.8, 0.97, 0.999], [0.5, 0.9, 0.98]) == [0, 1, 2]
    assert choose_candidates([0.4, None, 0.97], [0.5, 0.9]) == [0, 2]
    assert choose_candidates([0.4, 0.4], [0.5]) == [0]  # ties: the first
    assert choose_candidates([0.0, 1.0], [0.999999]) == [1]  # a fully pruned candidate is still a point
    with pytest.raises(ValueError, match="no sweep candidate"):
        choose_candidates([None], [0.5])


def test_sweep_candidates_are_chosen_on_a_seed_that_is_not_evaluated():
    from prunebench.pruning.during_training.sweep import variant_params_at

    vd = {"vd": {"method": "variational_dropout", "params": {"threshold": 3.0}}}
    selected = {**study(vd, {"vd": {"kl_weight": [0.1, 1.0, 10.0]}}), "seeds": [0, 1]}
    assert sweep_errors("s", {**selected, "sweep_seed": 100}) == []  # any number of candidates
    assert sweep_errors("s", {**selected, "sweep_seed": 1}) == [
        "config key studies.s.sweep_seed: 1 is among studies.s.seeds; "
        "the strengths are chosen on a seed that is not evaluated"
    ]
    assert "3 values for 2 prune.sparsities" in sweep_errors("s", selected)[0]  # without sweep_seed: one per sparsity
    # the training job gets the strength from the choice, not from the list
    assert variant_params_at({**selected, "sweep_seed": 100}, "vd", 0.9) == {"threshold": 3.0}
