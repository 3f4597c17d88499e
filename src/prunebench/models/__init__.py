"""Model registry: an architecture is one function `(input_shape, num_classes, **kwargs) -> nn.Module`,
registered with @MODELS.register in any module of this package (each is imported here)."""

import importlib
import pkgutil

from prunebench.models.checkpoint import checkpoint_failure, load_checkpoint, save_checkpoint
from prunebench.models.registry import MODELS, build_model

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["MODELS", "build_model", "checkpoint_failure", "load_checkpoint", "save_checkpoint"]
