from dataclasses import replace

import pytest
import torch

from prunebench.data import load_raw, prepare
from prunebench.determinism import seed_everything
from prunebench.models import build_model
from prunebench.pruning import FixedMasks, Variant, compute_masks, variant_sparsifier
from prunebench.training import TrainConfig, evaluate, train, training_images


def digits():
    return prepare(load_raw("digits"), val_size=200, seed=0, train_subset=600)


def run(seed, masks=None, epochs=3):
    seed_everything(seed, threads=1)
    data = digits()
    model = build_model("mlp", data.input_shape, data.num_classes, hidden=[32, 16])
    if masks is not None:
        masks = masks(model)
    sparsifier = None if masks is None else FixedMasks(masks)
    result = train(
        model, data, TrainConfig(epochs=epochs, batch_size=50, lr=3e-3), seed, stage="dense", sparsifier=sparsifier
    )
    return result.model, result.history


def test_training_learns_and_records_every_epoch():
    model, history = run(0)
    assert [row["epoch"] for row in history] == [0, 1, 2, 3]
    assert history[-1]["val_accuracy"] > history[0]["val_accuracy"] + 0.3
    assert {"train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr"} <= set(history[0])


def test_best_checkpoint_is_the_epoch_of_lowest_validation_loss():
    model, history = run(0)
    data = digits()
    best = min(history, key=lambda r: r["val_loss"])
    assert evaluate(model, data.val_x, data.val_y)["loss"] == best["val_loss"]


def test_same_seed_gives_bitwise_identical_weights_and_history():
    (a, ha), (b, hb) = run(3), run(3)
    assert ha == hb
    assert all(torch.equal(p, q) for p, q in zip(a.state_dict().values(), b.state_dict().values()))
    _, hc = run(4)
    assert hc != ha


def test_masks_are_held_through_training():
    held = {}

    def masks(model):
        held.update(compute_masks(model, "lowest", 0.5, layers="all"))
        return held

    model, _ = run(0, masks=masks)
    for name, param in model.named_parameters():
        if name in held:
            assert torch.all(param[held[name] == 0] == 0)
            assert (param == 0).float().mean() == 0.5


def test_train_set_metrics_are_measured_on_exactly_the_images_trained_on():
    seed_everything(0, threads=1)
    data = prepare(load_raw("digits"), val_size=200, seed=0)
    model = build_model("mlp", data.input_shape, data.num_classes, hidden=[16])
    config = TrainConfig(epochs=1, batch_size=50, train_subset=300, track=("train",))
    result = train(model, data, config, 0, stage="finetune")
    x, y = training_images(data, config)
    assert torch.equal(x, data.train_x[:300]) and torch.equal(y, data.train_y[:300])
    assert result.history[-1]["train_eval_accuracy"] == evaluate(result.model, x, y)["accuracy"]
    assert result.history[-1]["train_eval_accuracy"] != evaluate(result.model, data.train_x, data.train_y)["accuracy"]


def test_train_reports_the_epoch_it_selected():
    seed_everything(0, threads=1)
    data = digits()
    model = build_model("mlp", data.input_shape, data.num_classes, hidden=[16])
    best = train(model, data, TrainConfig(epochs=3, batch_size=50, lr=3e-3), 0, stage="dense")
    assert best.selected_epoch == min(best.history, key=lambda r: r["val_loss"])["epoch"]
    last = train(model, data, TrainConfig(epochs=2, batch_size=50, select="last"), 0, stage="finetune")
    assert last.selected_epoch == 2


def test_recomputed_masks_follow_the_current_magnitudes_at_the_exact_sparsity():
    """TF-MOT's ConstantSparsity(frequency): the mask is recomputed from the current |w| every `every` steps."""
    seed_everything(0, threads=1)
    data = digits()
    model = build_model("mlp", data.input_shape, data.num_classes, hidden=[32, 16])
    variant = Variant(method="lowest", layers="all", mask_update_steps=4)
    first = compute_masks(model, "lowest", 0.5, layers="all")
    sparsifier = variant_sparsifier(first, variant, 0.5, seed=0)
    config = TrainConfig(epochs=2, batch_size=50, lr=0.05, select="last")  # large steps: pruned weights can grow back
    result = train(model, data, config, 0, stage="finetune", sparsifier=sparsifier)
    assert sparsifier.updates == 2 * 12 // 4  # 600 images / 50 = 12 steps per epoch
    assert any(not torch.equal(first[n], m) for n, m in result.masks.items()), "the mask moved with the weights"
    params = dict(result.model.named_parameters())
    for name, mask in result.masks.items():
        assert (mask == 0).sum() == round(0.5 * mask.numel())
        assert torch.all(params[name][mask == 0] == 0)
        assert torch.equal(mask, compute_masks(result.model, "lowest", 0.5, layers="all")[name])
    assert isinstance(variant_sparsifier(first, replace(variant, mask_update_steps=None), 0.5, seed=0), FixedMasks)


def test_step_schedule_decays_tenfold_at_half_and_three_quarters_of_the_epochs():
    from prunebench.training.optim import make_optimizer, make_schedule

    cfg = TrainConfig(epochs=8, optimizer="sgd", lr=0.1, schedule="step")
    optimizer = make_optimizer([torch.nn.Parameter(torch.zeros(1))], cfg)
    schedule = make_schedule(optimizer, cfg)
    rates = []
    for _ in range(cfg.epochs):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        schedule.step()
    assert rates == pytest.approx([0.1] * 4 + [0.01] * 2 + [0.001] * 2)
