"""The cost record's slimmed network (parameters, FLOPs, widths) and the latency timing beside it."""

import copy

import pytest
import torch

from prunebench.metrics import LatencySettings, cost_record, slimmed_latency
from prunebench.models import MODELS, build_model
from prunebench.pruning import ChannelSpace, apply_masks, compute_masks

SHAPE = (1, 28, 28)


pytestmark = pytest.mark.usefixtures("one_thread")


def test_a_channel_pruned_network_costs_what_its_slimmed_network_costs():
    torch.manual_seed(0)
    model = build_model("cifar_resnet", SHAPE, 10, depth=20, width_multiplier=0.5).eval()
    masks = compute_masks(model, "l1_filter", 0.5, input_shape=SHAPE, params={"budget_scope": "total"})
    record = cost_record(apply_masks(copy.deepcopy(model), masks), SHAPE, masks)
    assert record["forward_flops"] == ChannelSpace(model, SHAPE).flops()  # dense kernels run the masked channels
    assert (
        record["slimmed_flops"]
        == ChannelSpace(model, SHAPE).flops(record["slimmed_widths"])
        <= 0.5 * record["forward_flops"]
    )
    assert record["slimmed_parameters"] < record["total_parameters"]


def test_weight_pruning_removes_no_channel_from_the_slimmed_network(small_mlp):
    masks = compute_masks(small_mlp, "lowest", 0.9, layers="all_but_last")
    record = cost_record(apply_masks(small_mlp, masks), (1, 8, 8), masks)
    assert (
        record["slimmed_parameters"] == record["total_parameters"]
        and record["slimmed_flops"] == record["forward_flops"]
    )


@pytest.mark.parametrize("arch", [a for a in MODELS.names() if not a.startswith("tv_")])
def test_every_small_registered_model_has_a_cost_record(arch):
    torch.manual_seed(0)
    model = build_model(arch, SHAPE, 10).eval()
    record = cost_record(model, SHAPE)
    assert (
        record["slimmed_parameters"] == record["total_parameters"]
        and record["slimmed_flops"] == record["forward_flops"] > 0
    )


def test_latency_is_timed_per_batch_size_on_the_slimmed_network(small_mlp):
    timing = slimmed_latency(small_mlp, (1, 8, 8), settings=LatencySettings(batch_sizes=(1, 64), repeats=3, warmup=1))
    assert timing["threads"] == 1
    assert {"batch1", "batch64"} <= set(timing) and all(timing[b]["median_ms"] > 0 for b in ("batch1", "batch64"))
