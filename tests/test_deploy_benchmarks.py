"""The deployment-latency and sparse-cost benchmarks time what they claim to: the compiled network computes the eager
network's outputs, and every sparse execution computes the dense forward's (the empty one: the forward of zero weights).
No timings are asserted."""

import copy

import torch
from torch._inductor import config as inductor_config

from benchmarks.deploy_latency import compiled
from benchmarks.slimming import CASES, networks
from benchmarks.sparse_cost import executions_of
from prunebench.models import build_model
from prunebench.pruning import apply_masks, compute_masks


def test_compiled_slimmed_network_computes_the_eager_outputs(one_thread):
    spec, shape = CASES["ResNet-20 x0.5 (default config)"]
    dense, slimmed, reduction = networks(spec, shape)
    assert 1.8 < reduction < 2.2  # L1 filters at half the whole network's FLOPs
    x = torch.rand(2, *shape, generator=torch.Generator().manual_seed(1))
    fast = compiled(slimmed, x)
    assert not inductor_config.freezing  # freezing is patched in for the compile only
    other = torch.rand(2, *shape, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        torch.testing.assert_close(
            fast(other), slimmed(other), rtol=1e-3, atol=1e-4 * float(slimmed(other).abs().max())
        )
        assert not torch.allclose(slimmed(other), dense(other))


def test_sparse_executions_compute_the_dense_forward(one_thread):
    torch.manual_seed(0)
    model = build_model("mlp", (1, 8, 8), 10, hidden=[40, 30, 20], bias=False).eval()
    masks = compute_masks(model, "lowest", 0.9, layers="all_but_last")
    pruned = apply_masks(copy.deepcopy(model), masks)
    x = torch.rand(5, 1, 8, 8, generator=torch.Generator().manual_seed(0))
    executions = executions_of(pruned, masks, batch=5)
    with torch.no_grad():
        expected = pruned(x)
        for name, forward in executions.items():
            out = forward(x)
            if "no nonzeros" in name:
                assert torch.equal(out, torch.zeros_like(expected))
            else:
                torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)
