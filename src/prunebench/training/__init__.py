"""One training loop for every study: dense training, fine-tuning with masks held, training-time methods (a
Sparsifier the loop calls; prunebench.pruning's sparsifiers hold or compute the masks)."""

from prunebench.training.config import TrainConfig
from prunebench.training.evaluate import evaluate
from prunebench.training.failure import TrainingDiverged, record_failures
from prunebench.training.loop import TrainResult, split_images, train, training_images
from prunebench.training.sparsifier import Sparsifier

__all__ = [
    "TrainConfig",
    "Sparsifier",
    "TrainResult",
    "TrainingDiverged",
    "evaluate",
    "record_failures",
    "split_images",
    "train",
    "training_images",
]
