import torch
from scipy.stats import spearmanr

from prunebench.determinism import Stream, derived_seed, generator, seed_everything
from prunebench.models import build_model
from prunebench.pruning import PRUNING_METHODS, PruningContext, prunable_weights
from prunebench.pruning.masks import compute_masks


def test_streams_differ_by_purpose_seed_and_salt_and_repeat_exactly():
    seeds = {derived_seed(s, p, *salt) for s in (0, 1) for p in Stream for salt in ((), ("dense",), ("finetune",))}
    assert len(seeds) == 2 * len(Stream) * 3
    assert torch.equal(
        torch.rand(5, generator=generator(3, Stream.PRUNING)), torch.rand(5, generator=generator(3, Stream.PRUNING))
    )


def test_random_pruning_scores_are_unrelated_to_the_initial_weights():
    """With one shared seed, `random` scores replayed the uniforms that initialized the layer (Spearman 1.0)."""
    for seed in (0, 1):
        seed_everything(seed, threads=1)
        model = build_model("mlp", (1, 28, 28), 10, hidden=[1000, 1000, 500, 200], bias=False)
        modules = dict(model.named_modules())
        for name, weight in prunable_weights(model, "all_but_last").items():
            context = PruningContext(
                name, modules[name.removesuffix(".weight")], model, generator(seed, Stream.PRUNING)
            )
            random_scores = PRUNING_METHODS["random"]().importance(weight.detach(), context)
            rho = spearmanr(random_scores.flatten().numpy(), weight.detach().flatten().numpy()).statistic
            assert abs(rho) < 0.05, (seed, name, rho)
        masks = compute_masks(model, "random", 0.5, layers="all_but_last", seed=seed)
        for name, weight in prunable_weights(model, "all_but_last").items():
            w, kept = weight.detach(), masks[name].bool()
            assert abs(w.abs()[kept].mean().item() / w.abs().mean().item() - 1) < 0.02, name
            assert abs(w[kept].mean().item()) < 0.02 * w.std().item(), (
                name
            )  # a replayed init keeps the largest signed w
