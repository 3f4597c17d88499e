"""DDNP's top-k masks (Eq. 2, Eq. 7): the soft mask's shape and sum, the hard mask's count, the straight-through
gradient of the scores."""

import pytest
import torch

from prunebench.pruning.search.topk import (
    hard_topk_mask,
    kept_channels,
    smoothstep,
    soft_topk_mask,
    sorted_soft_mask,
    window,
)


@pytest.mark.parametrize("channels", [16, 64, 100])
@pytest.mark.parametrize("k", [0.2, 0.37, 0.5, 0.625, 0.81, 0.93, 0.99, 1.0])
def test_smoothstep_mask_is_monotone_and_sums_to_ck(channels, k):
    mask = sorted_soft_mask(channels, torch.tensor(k, dtype=torch.float64), window(channels, 0.1))
    assert mask.min() >= 0 and mask.max() <= 1
    assert (mask[1:] <= mask[:-1]).all()  # importance order: never rising
    # the document's "C k ~ Sum a_i"; exact up to the midpoint rule where the window fits, within half a channel
    # where it had to shrink to nothing at the ends of the layer (then it is the hard mask of round(C k))
    assert mask.sum().item() == pytest.approx(channels * k, abs=0.5)
    if 0 < channels * k - window(channels, 0.1) / 2 and channels * k + window(channels, 0.1) / 2 < channels:
        assert mask.sum().item() == pytest.approx(channels * k, abs=0.05)


def test_smoothstep_mask_is_soft_inside_the_window_only():
    # the document's Fig. 2: C = 64, gamma = 20, C k = 40
    mask = sorted_soft_mask(64, torch.tensor(40 / 64), 20)
    inside = (torch.arange(64) + 0.5 - 40).abs() < 10
    assert ((mask[inside] > 0) & (mask[inside] < 1)).all()
    assert (mask[~inside] == (torch.arange(64)[~inside] < 40).float()).all()
    assert mask[39].item() > 0.5 > mask[40].item()
    assert smoothstep(torch.tensor(40.0), 40.0, 20).item() == pytest.approx(0.5)


def test_window_shrinks_near_full_width():
    # C k + gamma / 2 past the last channel: gamma = round(C - C k) = 3, and the mask still sums to C k
    channels, k = 64, 0.95
    mask = sorted_soft_mask(channels, torch.tensor(k, dtype=torch.float64), window(channels, 0.2))
    soft = (mask > 0) & (mask < 1)
    assert int(soft.sum()) == 3 and mask[-1] == 0
    assert mask.sum().item() == pytest.approx(channels * k, abs=0.05)


@pytest.mark.parametrize("k", [0.1, 0.3, 0.5, 0.77, 0.99, 1.0])
def test_zero_window_is_the_hard_mask(k):
    channels = 37
    soft = sorted_soft_mask(channels, torch.tensor(k), 0)
    assert soft.sum().item() == kept_channels(channels, k) == max(1, round(channels * k))


@pytest.mark.parametrize("k", [0.0, 0.01, 0.26, 0.5, 0.74, 1.0])
def test_hard_mask_keeps_exactly_round_ck_of_the_highest_scores(k):
    generator = torch.Generator().manual_seed(0)
    scores = torch.rand(50, generator=generator)
    mask = hard_topk_mask(scores, torch.tensor(k))
    kept = max(1, round(50 * k))
    assert mask.dtype == torch.bool and int(mask.sum()) == kept
    assert scores[mask].min() >= scores[~mask].max() if kept < 50 else mask.all()


def test_soft_mask_follows_the_score_order_with_straight_through_gradients():
    generator = torch.Generator().manual_seed(1)
    scores = torch.rand(20, generator=generator, requires_grad=True)
    k = torch.tensor(0.5)
    mask = soft_topk_mask(scores, k, 4)
    order = torch.argsort(scores.detach(), descending=True)
    assert torch.allclose(mask.detach()[order], sorted_soft_mask(20, k, 4))
    upstream = torch.randn(20, generator=generator)
    (mask * upstream).sum().backward()
    assert torch.equal(scores.grad, upstream)  # dJ/ds = dJ/da


def test_soft_mask_gives_the_width_a_gradient_only_when_asked():
    scores = torch.rand(20, generator=torch.Generator().manual_seed(2))
    k = torch.tensor(0.5, requires_grad=True)
    soft_topk_mask(scores, k, 4).sum().backward()
    assert k.grad.item() == pytest.approx(20, rel=0.05)  # d(Sum a)/dk = C inside the window
    assert not soft_topk_mask(scores, k.detach(), 4).requires_grad
