"""Time of one structured-search epoch (DDNP, DP) on CPU: the default config's scale (28x28 greyscale images, the
document's pruning subset of 2,500 images, batch 128, 1,000 held-out images judged after the epoch) on the small CNN
of the registry with its two convolutions gated. An epoch's time is (time of 3 epochs - time of 1 epoch) / 2, so the
one-off costs (building the searcher, judging the initial masks) are left out."""

from __future__ import annotations

import time

import torch

from benchmarks.common import Result
from prunebench.data import PreparedData
from prunebench.metrics.cost import forward_flops
from prunebench.models import build_model
from prunebench.pruning.search import FlopsModel, SearchSettings, search, search_data
from prunebench.pruning.search.ddnp import DDNP
from prunebench.pruning.search.dp import DifferentiablePruning

THREADS = 2
SHAPE, CLASSES, CHANNELS = (1, 28, 28), 10, (16, 32)
PRUNABLE = {"features.conv1": CHANNELS[0], "features.conv2": CHANNELS[1]}
PRUNE_SIZE, HELDOUT, BATCH = 2500, 1000, 128


def _model(channels=CHANNELS):
    return build_model("small_cnn", SHAPE, CLASSES, channels=list(channels))


def _data() -> PreparedData:
    generator = torch.Generator().manual_seed(0)
    images = lambda n: torch.randint(0, 256, (n, *SHAPE), generator=generator, dtype=torch.uint8)  # noqa: E731
    labels = lambda n: torch.randint(0, CLASSES, (n,), generator=generator)  # noqa: E731
    classes = [str(c) for c in range(CLASSES)]
    return PreparedData(
        images(PRUNE_SIZE),
        labels(PRUNE_SIZE),
        images(HELDOUT),
        labels(HELDOUT),
        images(1),
        labels(1),
        classes,
        "random",
    )


def _seconds(method, epochs: int, flops: FlopsModel, data) -> float:
    torch.manual_seed(0)
    model = _model().eval()
    settings = SearchSettings(epochs=epochs, batch_size=BATCH, prune_size=PRUNE_SIZE)
    start = time.perf_counter()
    search(model, PRUNABLE, flops, data, method, 0.5, settings, seed=0)
    return time.perf_counter() - start


def run() -> list[Result]:
    torch.set_num_threads(THREADS)
    flops = FlopsModel.fit(lambda widths: forward_flops(_model(widths), SHAPE), list(CHANNELS))
    data = search_data(_data(), PRUNE_SIZE, seed=0)
    results = []
    for name, method in (("DDNP", DDNP()), ("DP", DifferentiablePruning())):
        epoch = (_seconds(method, 3, flops, data) - _seconds(method, 1, flops, data)) / 2
        measure = f"{name} search epoch, small CNN {list(CHANNELS)}, {PRUNE_SIZE} images, batch {BATCH}"
        results.append(Result("search_epoch", measure, epoch, "s"))
    return results


if __name__ == "__main__":
    for result in run():
        print(result)
