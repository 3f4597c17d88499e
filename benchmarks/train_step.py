"""A training step against its own arithmetic: the time of the loop's step (the library's objective, optimizer and
uint8 -> float conversion, as prunebench.training.train runs it) against the time of the same step's GEMMs and
convolutions measured alone (forward, grad-input and grad-weight of every Linear / Conv2d, same shapes).

At these shapes the limit is not a big matmul's rate but what the step adds around its own GEMMs (optimizer,
activations, allocation, host syncs); target: GEMMs alone / step >= 0.8."""

from __future__ import annotations

import time

import torch
from torch import nn

from benchmarks.common import Result
from prunebench.data import to_float
from prunebench.models import build_model
from prunebench.training import TrainConfig
from prunebench.training.loop import loss_and_logits
from prunebench.training.optim import make_optimizer

THREADS = 2
TARGET = 0.8
CASES = {  # name: (model spec, input shape, batch size, optimizer)
    "004 MLP": ({"arch": "mlp", "hidden": [1000, 1000, 500, 200], "bias": False}, (1, 28, 28), 100, "adam"),
    "001 small CNN": ({"arch": "small_cnn", "channels": [8], "pool": 4, "hidden": 100}, (1, 28, 28), 128, "sgd"),
}


def _median_ms(fn, repeats: int = 60, warmup: int = 5) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * sorted(times)[len(times) // 2]


def _layer_inputs(model: nn.Module, x: torch.Tensor) -> list[tuple[nn.Module, torch.Tensor, torch.Tensor]]:
    """(layer, its input, its output) of every Linear / Conv2d in one forward pass."""
    seen = []
    hooks = [
        m.register_forward_hook(lambda m, args, out: seen.append((m, args[0].detach(), out.detach())))
        for m in model.modules()
        if isinstance(m, (nn.Linear, nn.Conv2d))
    ]
    with torch.no_grad():
        model(x)
    for hook in hooks:
        hook.remove()
    return seen


def gemm_ms(model: nn.Module, x: torch.Tensor) -> float:
    """Forward, grad-input and grad-weight of every Linear / Conv2d at the step's shapes, alone (no grad-input for
    the first layer: the images need no gradient, and autograd does not compute it)."""
    ops = []
    for index, (layer, inp, out) in enumerate(_layer_inputs(model, x)):
        w, grad = layer.weight.detach(), torch.ones_like(out)
        if isinstance(layer, nn.Linear):
            forward, grad_input, grad_weight = (
                (lambda i=inp, w=w: i @ w.T),
                (lambda g=grad, w=w: g @ w),
                (lambda g=grad, i=inp: g.T @ i),
            )
        else:
            conv = dict(stride=layer.stride, padding=layer.padding)
            forward = lambda i=inp, w=w, c=conv: torch.nn.functional.conv2d(i, w, **c)  # noqa: E731
            grad_input = lambda i=inp, w=w, g=grad, c=conv: torch.nn.grad.conv2d_input(i.shape, w, g, **c)  # noqa: E731
            grad_weight = lambda i=inp, w=w, g=grad, c=conv: torch.nn.grad.conv2d_weight(i, w.shape, g, **c)  # noqa: E731
        ops += [forward, grad_weight] if index == 0 else [forward, grad_input, grad_weight]
    return _median_ms(lambda: [op() for op in ops])


def step_ms(model: nn.Module, x_uint8: torch.Tensor, y: torch.Tensor, optimizer_name: str) -> float:
    optimizer = make_optimizer(model.parameters(), TrainConfig(epochs=1, optimizer=optimizer_name, lr=1e-3))
    model.train()

    def step():
        loss, _ = loss_and_logits(model, to_float(x_uint8), y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return _median_ms(step)


def run() -> list[Result]:
    torch.set_num_threads(THREADS)
    results = []
    for name, (spec, shape, batch, optimizer) in CASES.items():
        torch.manual_seed(0)
        model = build_model(**spec, input_shape=shape, num_classes=10)
        x = torch.randint(0, 256, (batch, *shape), dtype=torch.uint8)
        y = torch.randint(0, 10, (batch,))
        alone, step = gemm_ms(model, to_float(x)), step_ms(model, x, y, optimizer)
        results += [
            Result("train_step", f"{name}, batch {batch}: GEMMs / convolutions alone", alone, "ms"),
            Result("train_step", f"{name}, batch {batch}: training step ({optimizer})", step, "ms"),
            Result(
                "train_step",
                f"{name}, batch {batch}: GEMM time / step time",
                alone / step,
                "",
                f">= {TARGET}",
                alone / step >= TARGET,
            ),
        ]
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
