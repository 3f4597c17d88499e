"""Study 000 library: Beta-VAE-Classif loss terms, head removal, held masks, compressed size, dSprites, MIG."""

import math

import numpy as np
import pandas as pd
import pytest
import torch

from prunebench.data import PreparedData, load_raw, prepare
from prunebench.data import dsprites
from prunebench.metrics import cost_record
from prunebench.metrics.mig import mig
from prunebench.models import build_model, load_checkpoint, save_checkpoint
from prunebench.models.vae_classif import kl_standard_normal, reconstruction_loss, remove_reconstruction_head
from prunebench.pruning import FixedMasks, compute_masks
from prunebench.studies.disentangle import claims
from prunebench.studies.disentangle.protocol import collapsed, latent_mig
from prunebench.studies.disentangle.tables import table_one
from prunebench.training import TrainConfig, train


def tiny_data(n=120, shape=(1, 8, 8), classes=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, classes, (n,), generator=g)
    x = (torch.rand((n, *shape), generator=g) * 60).to(torch.uint8)
    x[:, :, : shape[1] // 2] += (y * 60).view(-1, 1, 1, 1).to(torch.uint8)  # learnable: brightness codes the class
    return PreparedData(x, y, x[:30], y[:30], x[:30], y[:30], classes=[str(c) for c in range(classes)], source="test")


def test_kl_of_a_standard_normal_posterior_is_zero_and_positive_otherwise():
    zeros = torch.zeros(5, 4)
    assert kl_standard_normal(zeros, zeros).item() == 0.0
    # KL(N(1, 1) || N(0, 1)) = 0.5 per dimension
    assert kl_standard_normal(torch.ones(5, 4), zeros).item() == pytest.approx(2.0)


def test_reconstruction_term_matches_a_hand_computation():
    logits = torch.tensor([[[[0.0, 2.0]]], [[[-1.0, 0.5]]]])
    x = torch.tensor([[[[1.0, 0.0]]], [[[0.0, 1.0]]]])
    sig = torch.sigmoid(logits)
    by_hand = -(x * sig.log() + (1 - x) * (1 - sig).log()).sum() / 2
    assert reconstruction_loss(logits, x).item() == pytest.approx(by_hand.item(), rel=1e-6)


def test_the_loss_is_beta_kl_plus_reconstruction_plus_cross_entropy():
    torch.manual_seed(0)
    model = build_model("beta_vae_classif", (1, 8, 8), 3, beta=3)
    x, y = torch.rand(6, 1, 8, 8), torch.tensor([0, 1, 2, 0, 1, 2])
    torch.manual_seed(1)
    terms = model.loss_terms(x, y)
    expected = 3 * terms["kl"] + terms["reconstruction"] + terms["cross_entropy"]
    assert terms["loss"].item() == pytest.approx(expected.item(), rel=1e-6)
    torch.manual_seed(1)
    loss, logits = model.loss(x, y)
    assert loss.item() == pytest.approx(terms["loss"].item()) and logits.shape == (6, 3)


def test_document_sizes_about_69k_and_2_9m_inference_parameters():
    for shape, expected in (((1, 28, 28), 69e3), ((3, 32, 32), 2.9e6)):
        for arch in ("cnn_classif", "beta_vae_classif"):
            model = build_model(arch, shape, 10)
            model, _ = remove_reconstruction_head(model, {"arch": arch})
            n = sum(p.numel() for p in model.parameters())
            assert abs(n - expected) / expected < 0.03, (arch, shape, n)


def test_head_removal_leaves_exactly_encoder_and_classifier(tmp_path):
    model = build_model("beta_vae_classif", (1, 28, 28), 10, beta=5)
    spec = {"arch": "beta_vae_classif", "beta": 5, "input_shape": [1, 28, 28], "num_classes": 10}
    x = torch.rand(4, 1, 28, 28)
    before = model.eval()(x)
    model, spec = remove_reconstruction_head(model, spec)
    assert {name.split(".")[0] for name, _ in model.named_parameters()} == {"encoder", "mu", "logvar", "classifier"}
    assert torch.equal(model(x), before), "inference does not use the reconstruction head"
    save_checkpoint(tmp_path / "m.pt", model, spec)
    loaded, loaded_spec = load_checkpoint(tmp_path / "m.pt")
    assert loaded.decoder is None and loaded_spec["decoder"] is False
    terms = loaded.loss_terms(x, torch.zeros(4, dtype=torch.long))
    assert "reconstruction" not in terms


def test_without_the_kl_term_the_headless_loss_is_the_cross_entropy_alone(tmp_path):
    model = build_model("beta_vae_classif", (1, 28, 28), 10, beta=5)
    spec = {"arch": "beta_vae_classif", "beta": 5, "input_shape": [1, 28, 28], "num_classes": 10}
    model, spec = remove_reconstruction_head(model, spec, keep_kl=False)
    save_checkpoint(tmp_path / "m.pt", model, spec)
    loaded, _ = load_checkpoint(tmp_path / "m.pt")
    torch.manual_seed(0)
    terms = loaded.loss_terms(torch.rand(4, 1, 28, 28), torch.zeros(4, dtype=torch.long))
    assert terms["kl"] > 0 and torch.equal(terms["loss"], terms["cross_entropy"])


def test_masks_stay_at_50_percent_through_the_pruning_epochs():
    data = tiny_data()
    torch.manual_seed(0)
    model, _ = remove_reconstruction_head(build_model("beta_vae_classif", (1, 8, 8), 3, beta=1), {})
    masks = compute_masks(model, "lowest", 0.5, scope="local", layers="all")
    model = train(
        model,
        data,
        TrainConfig(epochs=2, batch_size=16, select="last"),
        0,
        stage="finetune",
        sparsifier=FixedMasks(masks),
    ).model
    params = dict(model.named_parameters())
    for name, mask in masks.items():
        assert mask.mean().item() == pytest.approx(0.5, abs=0.01)
        assert (params[name][mask == 0] == 0).all(), name
        assert (params[name] == 0).float().mean().item() == pytest.approx(0.5, abs=0.02)


def test_compressed_size_of_a_50_percent_sparse_model_is_below_the_dense_one():
    torch.manual_seed(0)
    model = build_model("cnn_classif", (1, 28, 28), 10)
    dense = cost_record(model, (1, 28, 28))
    masks = compute_masks(model, "lowest", 0.5, layers="all")
    from prunebench.pruning import apply_masks

    sparse = cost_record(apply_masks(model, masks), (1, 28, 28))
    assert sparse["size_bytes"] == dense["size_bytes"]
    assert sparse["size_gzip_bytes"] < 0.8 * dense["size_gzip_bytes"]


def test_posterior_collapse_is_a_result_not_a_nan():
    """A huge beta collapses the posterior: finite loss, chance-level accuracy flagged, no crash."""
    data = tiny_data()
    torch.manual_seed(0)
    model = build_model("beta_vae_classif", (1, 8, 8), 3, beta=1e4)
    history = train(model, data, TrainConfig(epochs=2, batch_size=16, select="last"), 0, stage="dense").history
    assert all(math.isfinite(row["train_loss"]) and math.isfinite(row["val_loss"]) for row in history)
    assert collapsed(1 / 3, 3) and not collapsed(0.9, 3)


def test_dsprites_small_is_every_combination_once_binary_with_the_shape_as_label():
    design = dsprites.DESIGNS["dsprites_small"]
    raw = load_raw("dsprites_small")
    again = load_raw("dsprites_small")
    assert torch.equal(raw.train_x, again.train_x) and torch.equal(raw.test_x, again.test_x)
    assert len(raw.train_y) + len(raw.test_y) == math.prod(design.factor_sizes) == 10368
    assert len(raw.test_y) == round(0.2 * 10368) and raw.classes == ["square", "ellipse", "heart"]
    assert raw.train_x.shape[1:] == (1, 32, 32) and raw.train_x.dtype == torch.uint8
    assert set(raw.train_x.unique().tolist()) == {0, 255} and (raw.train_x.flatten(1).amax(1) == 255).all()
    train, test = dsprites.split_factors(design)
    assert torch.equal(raw.train_y, train[:, 0]) and torch.equal(raw.test_y, test[:, 0])
    assert len({tuple(f) for f in torch.cat([train, test]).tolist()}) == 10368, "each combination once"
    assert design.factors == ("shape", "scale", "pos_x", "pos_y"), "no rotation: the orientation is not a factor"
    assert "dsprites" in dsprites.DESIGNS and dsprites.DESIGNS["dsprites"].factor_sizes == (3, 6, 40, 32, 32)


def _render_whole_image(factors, design):
    """Every pixel of the image evaluated (the reference of the windowed renderer)."""
    size, margin = design.image_size, dsprites.EXTENT * design.radius
    scales = torch.linspace(0.5, 1.0, design.scales)
    angles = torch.linspace(0, 2 * math.pi, design.orientations + 1)[:-1]
    positions = margin + (size - 2 * margin) * torch.linspace(0, 1, design.positions)
    coords = torch.arange(size) + 0.5
    py, px = torch.meshgrid(coords, coords, indexing="ij")
    radius, theta = (design.radius * scales[factors[:, 1]]).view(-1, 1, 1), angles[factors[:, 2]].view(-1, 1, 1)
    dx, dy = (
        (px - positions[factors[:, 3]].view(-1, 1, 1)) / radius,
        (py - positions[factors[:, 4]].view(-1, 1, 1)) / radius,
    )
    u, v = dx * torch.cos(theta) + dy * torch.sin(theta), -dx * torch.sin(theta) + dy * torch.cos(theta)
    inside = torch.stack([dsprites._inside(int(f[0]), u[i], v[i]) for i, f in enumerate(factors)])
    return (inside.to(torch.uint8) * 255).unsqueeze(1)


@pytest.mark.parametrize("name", ["dsprites", "dsprites_small"])
def test_the_windowed_renderer_draws_what_the_whole_image_holds(name):
    design = dsprites.DESIGNS[name]
    grid = dsprites.factor_grid(design)
    factors = grid[torch.randperm(len(grid), generator=torch.Generator().manual_seed(0))[:300]]
    extremes = grid[[0, len(grid) - 1]]  # smallest sprite in a corner, largest in the opposite one
    factors = torch.cat([factors, extremes])
    assert torch.equal(dsprites.render(factors, design), _render_whole_image(factors, design))
    small, large = torch.tensor([[0, 0, 0, 5, 5]]), torch.tensor([[0, design.scales - 1, 0, 5, 5]])
    assert dsprites.render(large, design).sum() > dsprites.render(small, design).sum(), (
        "a larger scale draws a larger sprite"
    )


def test_prepared_factors_are_those_of_the_prepared_images():
    design = dsprites.DESIGNS["dsprites_small"]
    data = prepare(load_raw("dsprites_small"), val_size=50, seed=3, train_subset=200, test_subset=150)
    factors = dsprites.prepared_factors(data, "dsprites_small", val_size=50, seed=3, train_subset=200, test_subset=150)
    assert factors["names"] == ["shape", "scale", "pos_x", "pos_y"]
    for split in ("train", "val", "test"):
        kept = factors[split]
        full = torch.zeros((len(kept), 5), dtype=torch.long)
        full[:, [0, 1, 3, 4]] = kept  # the orientation (one value) back in
        assert torch.equal(dsprites.render(full, design), getattr(data, f"{split}_x")), split
    with pytest.raises(ValueError, match="not the shapes"):
        dsprites.prepared_factors(data, "dsprites_small", val_size=50, seed=4, train_subset=200, test_subset=150)


def test_real_dsprites_npz_is_read_from_data_dir(tmp_path, monkeypatch):
    sizes = dsprites.REAL.factor_sizes
    grid = np.stack(np.meshgrid(*[np.arange(s) for s in (1, *sizes)], indexing="ij"), -1).reshape(-1, 6)
    order = np.random.default_rng(0).permutation(len(grid))  # rows looked up by their factors, not assumed in order
    imgs = np.zeros((len(grid), 1, 1), dtype=np.uint8)
    imgs[:, 0, 0] = grid[:, 1] == 2  # mark hearts
    np.savez(tmp_path / dsprites.NPZ_NAME, imgs=imgs[order], latents_classes=grid[order])
    # a small stand-in for the real design keeps the test quick: the npz lookup is the same
    monkeypatch.setattr(
        dsprites, "split_factors", lambda design: (torch.from_numpy(grid[:40, 1:]), torch.from_numpy(grid[-30:, 1:]))
    )
    raw = dsprites.load_dsprites("dsprites", data_dir=str(tmp_path))
    assert raw.source.endswith(".npz") and raw.train_x.shape == (40, 1, 1, 1)
    assert torch.equal(raw.test_x[:, 0, 0, 0] == 255, raw.test_y == 2) and torch.equal(
        raw.train_x[:, 0, 0, 0] == 255, raw.train_y == 2
    )


def test_mig_of_a_perfectly_disentangled_code_is_one_and_of_an_entangled_code_near_zero():
    values = np.stack(np.meshgrid(np.arange(5), np.arange(4), np.arange(6), indexing="ij"), -1).reshape(-1, 3)
    factors = np.repeat(values, 3, axis=0)
    rng = np.random.default_rng(0)
    code = 0.7 * factors.astype(float) - 2.0  # each factor in exactly one latent dimension (affine)
    assert mig(code, factors)["mig"] == pytest.approx(1.0, abs=1e-9)
    noisy = code + rng.normal(0, 0.05, factors.shape)  # noise leaks a little information across bins
    assert mig(noisy, factors)["mig"] > 0.9
    assert mig(code[:, ::-1], factors)["mig"] == pytest.approx(1.0, abs=1e-9), (
        "the order of the latents does not matter"
    )
    rotation = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    entangled = (factors - factors.mean(0)) / factors.std(0) @ rotation
    assert mig(entangled, factors)["mig"] < 0.2
    duplicated = np.concatenate([code, code[:, :1]], axis=1)  # two dims share factor 0: its gap is 0
    result = mig(duplicated, factors)
    assert result["per_factor"][0] == pytest.approx(0.0, abs=1e-9) and result["mig"] == pytest.approx(2 / 3, abs=1e-9)


def test_mig_separates_a_disentangled_latent_from_a_random_one():
    rng = np.random.default_rng(1)
    factors = np.stack([rng.integers(0, k, 3000) for k in (3, 6, 10)], axis=1)
    disentangled = factors + rng.normal(0, 0.1, factors.shape)  # one latent per factor
    random_latent = rng.normal(size=(3000, 6))  # what an encoder that ignores the factors gives
    assert mig(disentangled, factors)["mig"] > 0.8
    assert mig(random_latent, factors)["mig"] < 0.02


def test_latent_mig_names_each_factor_and_measures_the_posterior_means():
    torch.manual_seed(0)
    model = build_model("beta_vae_classif", (1, 8, 8), 3, latent=4)
    x = (torch.rand(200, 1, 8, 8) * 255).to(torch.uint8)
    factors = torch.stack([torch.arange(200) % 3, torch.arange(200) % 5], 1)
    record = latent_mig(model, x, factors, ["shape", "scale"], bins=10)
    assert set(record["per_factor"]) == {"shape", "scale"} and 0 <= record["mig"] <= 1
    assert record == latent_mig(model, x, factors, ["shape", "scale"], bins=10)


def test_head_removal_claim_holds_only_when_accuracy_is_kept():
    from prunebench.studies.disentangle.claims import head_removal_keeps_accuracy

    def t1(after):
        return pd.DataFrame(
            {
                "dataset": "d",
                "beta": [1.0, 5.0],
                "pruned": False,
                "accuracy_mean": after,
                "with_head_accuracy_mean": [80.0, 70.0],
            }
        )

    assert head_removal_keeps_accuracy(t1([80.5, 69.5])).holds is True
    dropped = head_removal_keeps_accuracy(t1([30.0, 69.5]))
    assert dropped.holds is False and "beta=1 80.00% -> 30.00%" in dropped.observed


def t1_pruned(losses: dict[float, tuple[float, float]], dataset="d") -> pd.DataFrame:
    """A hand-made 000-T1 (pruned rows only): beta -> (mean, std) of the accuracy points pruning costs."""
    return pd.DataFrame(
        {
            "dataset": dataset,
            "beta": list(losses),
            "pruned": True,
            "accuracy_mean": 80.0,
            "accuracy_std": 1.0,
            "pruning_loss_mean": [m for m, _ in losses.values()],
            "pruning_loss_std": [s for _, s in losses.values()],
        }
    )


def test_c4_needs_a_smaller_loss_beyond_the_seed_spread():
    # beta = 3 loses 1.5 points less than beta = 1, but the seeds spread by 2: noise, as 3 of 4 betas would be by chance
    assert (
        claims.beta_loses_less(t1_pruned({1: (3.0, 2.0), 3: (1.5, 0.5), 5: (3.2, 0.1), 10: (2.9, 1.0)})).holds is False
    )
    holds = claims.beta_loses_less(t1_pruned({1: (3.0, 0.4), 3: (1.5, 0.5), 5: (3.2, 0.1)}))
    assert holds.holds is True and "beyond seed spread: 3)" in holds.observed
    assert claims.beta_loses_less(t1_pruned({1: (3.0, 0.4), 3: (3.5, 0.5)})).holds is False, (
        "losing more is not losing less"
    )
    assert claims.beta_loses_less(t1_pruned({3: (1.0, 0.1)})).holds is None, "no beta = 1 to compare with"


def test_c3_and_c4_share_one_definition_of_beyond_the_seed_spread():
    assert claims.beyond_seed_spread(5.0, 1.0, 3.0, 1.5) and not claims.beyond_seed_spread(5.0, 2.5, 3.0, 1.5)
    assert claims.beyond_seed_spread(5.0, float("nan"), 4.9, float("nan")), "one seed: any difference"
    t1 = t1_pruned({1: (0, 0), 3: (0, 0)}).assign(accuracy_mean=[70.0, 72.0], accuracy_std=[1.5, 2.5])
    assert claims.beta_prunes_better(t1).holds is False  # 2 points < the larger std 2.5
    assert claims.beta_prunes_better(t1.assign(accuracy_std=[1.5, 1.0])).holds is True


def test_table_one_pairs_the_pruning_loss_by_seed():
    runs = pd.DataFrame(
        [
            {
                "dataset": "d",
                "model": "m",
                "arch": "beta_vae_classif",
                "beta": 1.0,
                "seed": seed,
                "num_classes": 10,
                "pruned": pruned,
                "with_head_test_accuracy": 0.5,
                "test_accuracy": acc,
                "size_gzip_bytes": 1000,
                "nonzero_parameters": 10,
                "total_parameters": 20,
                "failed": "",
            }
            for seed, pruned, acc in [(0, False, 0.80), (1, False, 0.70), (1, True, 0.69), (0, True, 0.78)]
        ]
    )
    table = table_one(runs).set_index("pruned")
    assert table.loc[True, "pruning_loss_mean"] == pytest.approx(1.5)  # seed 0: 2 points, seed 1: 1 point
    assert table.loc[True, "pruning_loss_std"] == pytest.approx(np.std([2.0, 1.0], ddof=1))
    assert math.isnan(table.loc[False, "pruning_loss_mean"])


def b1(**columns) -> pd.DataFrame:
    """A hand-made 000-B1: two seeds per beta 1, 3, 10 (override any column)."""
    frame = pd.DataFrame(
        {
            "dataset": "dsprites_small",
            "beta": [1.0, 1.0, 3.0, 3.0, 10.0, 10.0],
            "seed": [0, 1] * 3,
            "mig_untrained": [0.02, 0.03] * 3,
            "mig_with_head": [0.10, 0.11, 0.20, 0.21, 0.30, 0.31],
            "mig_headless": [0.30, 0.31, 0.20, 0.21, 0.10, 0.11],
            "mig_pruned": 0.1,
            "with_head_test_accuracy": 0.9,
            "headless_test_accuracy": 0.9,
            "pruned_test_accuracy": [0.6, 0.61, 0.7, 0.71, 0.8, 0.81],
        }
    )
    return frame.assign(**columns)


def test_c6_is_decided_on_the_mig_after_the_first_phase():
    # MIG grows with beta while beta * KL and the decoder act, and falls after the headless epochs (beta = 0)
    assert claims.mig_increases_with_beta(b1()).holds is True
    flat_first_phase = b1(
        mig_with_head=[0.30, 0.31, 0.20, 0.21, 0.10, 0.11], mig_headless=[0.10, 0.11, 0.20, 0.21, 0.30, 0.31]
    )
    assert claims.mig_increases_with_beta(flat_first_phase).holds is False
    assert "after the first phase" in claims.mig_increases_with_beta(b1()).test


def test_c7_is_decided_on_the_mig_of_the_model_pruned():
    # pruned accuracy rises with beta, i.e. with the first-phase MIG, but falls with the MIG after head removal
    assert claims.mig_prunes_better(b1()).holds is False
    assert claims.mig_prunes_better(b1(mig_headless=[0.10, 0.11, 0.20, 0.21, 0.30, 0.31])).holds is True
    assert claims.mig_prunes_better(b1(pruned_test_accuracy=0.33)).holds is None, "every pruned classifier at chance"


def test_c9_says_whether_the_follow_up_measures_anything():
    assert claims.follow_up_is_informative(b1()).holds is True
    at_chance = b1(headless_test_accuracy=[0.9, 0.9, 0.9, 0.9, 0.9, 0.35])
    assert claims.follow_up_is_informative(at_chance).holds is False
    untrained_level = b1(mig_with_head=[0.03, 0.04, 0.20, 0.21, 0.30, 0.31])  # beta = 1 no better than random features
    assert claims.follow_up_is_informative(untrained_level).holds is False
    noisy = b1(mig_with_head=[0.02, 0.30, 0.20, 0.21, 0.30, 0.31])  # beta = 1: 0.16 on average, but one seed at 0.02
    assert claims.follow_up_is_informative(noisy).holds is False


def test_without_a_dataset_with_factors_the_mig_claims_are_not_tested():
    for claim in (
        claims.mig_increases_with_beta(None),
        claims.mig_prunes_better(None),
        claims.follow_up_is_informative(None),
    ):
        assert claim.holds is None and "no dataset with ground-truth factors" in claim.observed
