"""One training loop for every study: dense training and fine-tuning with masks held."""
from prunebench.training.config import TrainConfig
from prunebench.training.evaluate import evaluate
from prunebench.training.loop import train

__all__ = ["TrainConfig", "evaluate", "train"]
