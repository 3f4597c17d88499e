"""One training loop for every study: dense training, fine-tuning with masks held, training-time sparsifiers."""
from prunebench.training.config import TrainConfig
from prunebench.training.evaluate import evaluate
from prunebench.training.loop import TrainResult, split_images, train, training_images
from prunebench.training.sparsifier import FixedMasks, RecomputedMasks, Sparsifier, variant_sparsifier

__all__ = [
    "FixedMasks",
    "RecomputedMasks",
    "Sparsifier",
    "TrainConfig",
    "TrainResult",
    "evaluate",
    "split_images",
    "train",
    "training_images",
    "variant_sparsifier",
]
