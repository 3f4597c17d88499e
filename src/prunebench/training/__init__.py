"""One training loop for every study: dense training, fine-tuning with masks held, training-time methods (a
prunebench.pruning Sparsifier the loop calls)."""
from prunebench.training.config import TrainConfig
from prunebench.training.evaluate import evaluate
from prunebench.training.failure import TrainingDiverged, record_failures
from prunebench.training.loop import TrainResult, split_images, train, training_images

__all__ = [
    "TrainConfig",
    "TrainResult",
    "TrainingDiverged",
    "evaluate",
    "record_failures",
    "split_images",
    "train",
    "training_images",
]
