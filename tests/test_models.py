import torch
from torch import nn

from prunebench.models import MODELS, build_model, load_checkpoint, save_checkpoint


def test_004_mlp_has_the_documents_shape_and_no_bias():
    model = build_model("mlp", (1, 28, 28), 10, hidden=[1000, 1000, 500, 200], bias=False)
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linears] == [
        (784, 1000),
        (1000, 1000),
        (1000, 500),
        (500, 200),
        (200, 10),
    ]
    assert all(m.bias is None for m in linears)
    assert sum(p.numel() for p in model.parameters()) == 784_000 + 1_000_000 + 500_000 + 100_000 + 2_000
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


def test_unknown_architecture_names_the_known_ones():
    try:
        build_model("resnet9000", (1, 8, 8), 10)
    except KeyError as e:
        assert "resnet9000" in str(e) and "mlp" in str(e)
    else:
        raise AssertionError("expected KeyError")
    assert "mlp" in MODELS.names()


def test_checkpoint_round_trip_rebuilds_the_same_function(tmp_path, small_mlp):
    spec = {"arch": "mlp", "input_shape": [1, 8, 8], "num_classes": 10, "hidden": [40, 30, 20]}
    save_checkpoint(tmp_path / "m.pt", small_mlp, spec)
    loaded, loaded_spec = load_checkpoint(tmp_path / "m.pt")
    x = torch.rand(5, 1, 8, 8)
    assert loaded_spec == spec
    assert torch.equal(loaded(x), small_mlp(x))
