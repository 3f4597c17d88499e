"""Study 000 library: Beta-VAE-Classif loss terms, head removal, held masks, compressed size, dSprites, MIG."""
import math

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from prunebench.data import PreparedData
from prunebench.data.dsprites import FACTOR_SIZES, factor_grid_indices, load_dsprites
from prunebench.metrics import cost_record
from prunebench.metrics.mig import mig
from prunebench.models import build_model, load_checkpoint, save_checkpoint
from prunebench.models.vae_classif import kl_standard_normal, reconstruction_loss, remove_reconstruction_head
from prunebench.pruning import FixedMasks, compute_masks
from prunebench.studies.disentangle.protocol import collapsed, dsprites_data, mig_protocol
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
    model = train(model, data, TrainConfig(epochs=2, batch_size=16, select="last"), 0, stage="finetune", sparsifier=FixedMasks(masks)).model
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


def test_dsprites_is_deterministic_binary_and_keeps_its_factors():
    images, factors, source = load_dsprites(64, seed=3)
    again, factors_again, _ = load_dsprites(64, seed=3)
    assert torch.equal(images, again) and torch.equal(factors, factors_again) and source.startswith("generated")
    assert images.shape == (64, 1, 64, 64) and images.dtype == torch.uint8
    assert set(images.unique().tolist()) <= {0, 255} and (images.flatten(1).amax(1) == 255).all()
    assert (factors >= 0).all() and (factors < torch.tensor(FACTOR_SIZES)).all()
    assert len({tuple(f) for f in factor_grid_indices(500, 0).tolist()}) == 500  # drawn without replacement
    # a larger scale draws a larger sprite
    small = torch.tensor([[0, 0, 0, 16, 16]])
    large = torch.tensor([[0, 5, 0, 16, 16]])
    from prunebench.data.dsprites import render

    assert render(large).sum() > render(small).sum()


def test_real_dsprites_npz_is_read_from_data_dir(tmp_path):
    grid = np.stack(np.meshgrid(*[np.arange(s) for s in (1, *FACTOR_SIZES)], indexing="ij"), -1).reshape(-1, 6)
    imgs = np.zeros((len(grid), 64, 64), dtype=np.uint8)
    imgs[:, 0, 0] = (grid[:, 1] == 2)  # mark hearts
    np.savez(tmp_path / "dsprites_ndarray_co1sh3sc6or40x32y32_64x64.npz", imgs=imgs, latents_classes=grid)
    images, factors, source = load_dsprites(50, seed=0, data_dir=str(tmp_path))
    assert source.endswith(".npz")
    assert torch.equal(images[:, 0, 0, 0] == 255, factors[:, 0] == 2)


def test_mig_of_a_perfectly_disentangled_code_is_one_and_of_an_entangled_code_near_zero():
    values = np.stack(np.meshgrid(np.arange(5), np.arange(4), np.arange(6), indexing="ij"), -1).reshape(-1, 3)
    factors = np.repeat(values, 3, axis=0)
    rng = np.random.default_rng(0)
    code = 0.7 * factors.astype(float) - 2.0  # each factor in exactly one latent dimension (affine)
    assert mig(code, factors)["mig"] == pytest.approx(1.0, abs=1e-9)
    noisy = code + rng.normal(0, 0.05, factors.shape)  # noise leaks a little information across bins
    assert mig(noisy, factors)["mig"] > 0.9
    assert mig(code[:, ::-1], factors)["mig"] == pytest.approx(1.0, abs=1e-9), "the order of the latents does not matter"
    rotation = np.linalg.qr(rng.normal(size=(3, 3)))[0]
    entangled = (factors - factors.mean(0)) / factors.std(0) @ rotation
    assert mig(entangled, factors)["mig"] < 0.2
    duplicated = np.concatenate([code, code[:, :1]], axis=1)  # two dims share factor 0: its gap is 0
    result = mig(duplicated, factors)
    assert result["per_factor"][0] == pytest.approx(0.0, abs=1e-9) and result["mig"] == pytest.approx(2 / 3, abs=1e-9)


def test_mig_protocol_runs_end_to_end_and_is_deterministic():
    data, factors = dsprites_data(120, 0, 0.1, 0.3, None)
    spec = {"arch": "beta_vae_classif", "beta": 2.0, "channels": [4, 4, 4], "hidden": 8, "latent": 4, "input_shape": [1, 64, 64], "num_classes": 3}
    cfg = TrainConfig(epochs=1, batch_size=32, select="last")

    def run():
        torch.manual_seed(0)
        return mig_protocol(spec, data, factors, cfg, cfg, cfg, 0.5, seed=0, keep_kl=True)

    first = run()
    assert first == run()
    assert 0 <= first["unpruned"]["mig"]["mig"] <= 1 and 0 <= first["pruned"]["test"]["accuracy"] <= 1
    assert first["pruned"]["cost"]["nonzero_parameters"] < first["pruned"]["cost"]["total_parameters"]


def test_head_removal_claim_holds_only_when_accuracy_is_kept():
    from prunebench.studies.disentangle.claims import head_removal_keeps_accuracy

    def t1(after):
        return pd.DataFrame(
            {"dataset": "d", "beta": [1.0, 5.0], "pruned": False, "accuracy_mean": after, "with_head_accuracy_mean": [80.0, 70.0]}
        )

    assert head_removal_keeps_accuracy(t1([80.5, 69.5])).holds is True
    dropped = head_removal_keeps_accuracy(t1([30.0, 69.5]))
    assert dropped.holds is False and "beta=1 80.00% -> 30.00%" in dropped.observed
