"""Training-time pruning methods (the "during training" family of docs/architecture.md, "Pruning families"): each a
registered PruningMethod of family `during_training` whose sparsifier acts inside the training loop and hands over a
plain model with its final masks.

gradual.py: gradual magnitude and random pruning (Zhu & Gupta's cubic schedule); variational_dropout.py: sparse
variational dropout (Molchanov et al.); l0.py: L0 regularization with hard-concrete gates (Louizos et al.).
"""

from prunebench.pruning.during_training import gradual, l0, variational_dropout  # noqa: F401  (registers the methods)
from prunebench.pruning.during_training.base import (
    DuringTrainingMethod,
    TrainingPlan,
    TrainingSparsifier,
    achieved_sparsity,
    training_sparsifier,
)

__all__ = ["DuringTrainingMethod", "TrainingPlan", "TrainingSparsifier", "achieved_sparsity", "training_sparsifier"]
