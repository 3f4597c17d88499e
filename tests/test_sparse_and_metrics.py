import pytest
import torch

from prunebench.metrics import cost_record, forward_latency_table, nonzero_parameters, serialized_sizes, time_forward
from prunebench.pruning import apply_masks, compute_masks
from prunebench.sparse import SparseMLP, shrink_units


@pytest.mark.parametrize("layout", ["coo", "csr"])
@pytest.mark.parametrize("method", ["lowest", "unit"])
def test_sparse_execution_computes_the_masked_network(small_mlp, layout, method):
    masks = compute_masks(small_mlp, method, 0.8, layers="all_but_last")
    apply_masks(small_mlp, masks)
    x = torch.rand(7, 1, 8, 8)
    sparse = SparseMLP(small_mlp, layout, masks)
    assert sum(w.is_sparse or w.layout == torch.sparse_csr for w in sparse.weights) == len(masks)
    torch.testing.assert_close(sparse(x), small_mlp(x))


def test_shrunk_network_drops_pruned_units_and_keeps_the_outputs(small_mlp):
    masks = compute_masks(small_mlp, "unit", 0.5, layers="all_but_last")
    apply_masks(small_mlp, masks)
    shrunk = shrink_units(small_mlp)
    x = torch.rand(7, 1, 8, 8)
    torch.testing.assert_close(shrunk(x), small_mlp(x))
    widths = [m.out_features for m in shrunk.modules() if isinstance(m, torch.nn.Linear)]
    assert widths == [20, 15, 10, 10]
    assert nonzero_parameters(shrunk)[1] == 64 * 20 + 20 * 15 + 15 * 10 + 10 * 10


def test_cost_record_counts_nonzeros_and_gzip_shrinks_with_sparsity(small_mlp):
    dense = cost_record(small_mlp, (1, 8, 8))
    assert dense["nonzero_parameters"] == dense["total_parameters"] == 64 * 40 + 40 * 30 + 30 * 20 + 20 * 10
    assert dense["forward_flops"] == 2 * dense["total_parameters"]  # one multiply-add per weight
    apply_masks(small_mlp, compute_masks(small_mlp, "lowest", 0.5, layers="all"))
    sparse = cost_record(small_mlp, (1, 8, 8))
    assert sparse["nonzero_parameters"] == dense["total_parameters"] // 2
    assert sparse["size_bytes"] == dense["size_bytes"]
    assert sparse["size_gzip_bytes"] < dense["size_gzip_bytes"]
    assert serialized_sizes(small_mlp) == serialized_sizes(small_mlp), "sizes must be reproducible"


def test_time_forward_returns_one_positive_time_per_repeat(small_mlp):
    times = time_forward(small_mlp, torch.rand(4, 1, 8, 8), repeats=6, warmup=1)
    assert len(times) == 6 and all(t > 0 for t in times)


def test_forward_latency_table_times_every_execution(small_mlp):
    pruned = [
        (v, s, compute_masks(small_mlp, m, s, layers="all_but_last"))
        for v, m in (("weight", "lowest"), ("unit", "unit"))
        for s in (0.0, 0.9)
    ]
    table = forward_latency_table(small_mlp, (1, 8, 8), pruned, batch_size=10, repeats=3, warmup=1, threads=1)
    assert len(table) == 4 * 4
    assert set(table["execution"]) == {"dense", "coo", "csr", "shrunk"}
    assert (table["q25_ms"] <= table["median_ms"]).all() and (table["median_ms"] <= table["q75_ms"]).all()
