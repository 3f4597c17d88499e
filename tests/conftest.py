import pytest
import torch

from prunebench.models import build_model


@pytest.fixture
def small_mlp():
    torch.manual_seed(0)
    return build_model("mlp", (1, 8, 8), 10, hidden=[40, 30, 20])
