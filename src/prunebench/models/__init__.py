"""Model registry: an architecture is one function `(input_shape, num_classes, **kwargs) -> nn.Module`."""
from prunebench.models.registry import MODELS, build_model
from prunebench.models import mlp  # noqa: F401  (registers its architectures)
from prunebench.models.checkpoint import load_checkpoint, save_checkpoint

__all__ = ["MODELS", "build_model", "load_checkpoint", "save_checkpoint"]
