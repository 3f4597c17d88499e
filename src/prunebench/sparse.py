"""Executing a pruned fully connected network: sparse weight matrices (COO, CSR) or a physically smaller net."""

from __future__ import annotations

import warnings

import torch
from torch import nn

SPARSE_LAYOUTS = {"coo": torch.sparse_coo, "csr": torch.sparse_csr}


def _linear_chain(model: nn.Module) -> list[nn.Linear]:
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    if any(layer.bias is not None for layer in linears):
        raise ValueError("sparse execution is implemented for bias-free Linear+ReLU chains (the 004 MLP)")
    return linears


class SparseMLP(nn.Module):
    """Flatten -> [sparse Linear -> ReLU]* -> Linear, computing W @ h^T with sparse W where the layer is pruned."""

    def __init__(self, model: nn.Module, layout: str, masks: dict[str, torch.Tensor]):
        super().__init__()
        names = {id(m): name for name, m in model.named_modules()}
        self.weights = []
        for layer in _linear_chain(model):
            weight = layer.weight.detach()
            if f"{names[id(layer)]}.weight" in masks:
                with warnings.catch_warnings():  # "sparse CSR support is in beta": noise in every job log
                    warnings.simplefilter("ignore", UserWarning)
                    weight = weight.to_sparse(layout=SPARSE_LAYOUTS[layout])
            self.weights.append(weight)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Sparse kernels want a contiguous dense operand: transposing a view makes them several times slower.
        h = x.flatten(1).t().contiguous()
        for i, weight in enumerate(self.weights):
            h = weight @ h
            if i < len(self.weights) - 1:
                h = torch.relu(h)
        return h.t()


def shrink_units(model: nn.Module) -> nn.Sequential:
    """A physically smaller copy of a bias-free Linear+ReLU chain: rows that are entirely zero (pruned units)
    are removed together with the matching input columns of the next layer. Outputs are unchanged."""
    linears = _linear_chain(model)
    weights = [layer.weight.detach() for layer in linears]
    layers: list[nn.Module] = [nn.Flatten()]
    keep_in = torch.ones(weights[0].shape[1], dtype=torch.bool)
    for i, weight in enumerate(weights):
        last = i == len(weights) - 1
        keep_out = torch.ones(weight.shape[0], dtype=torch.bool) if last else weight.ne(0).any(dim=1)
        small = nn.Linear(int(keep_in.sum()), int(keep_out.sum()), bias=False)
        small.weight.data = weight[keep_out][:, keep_in].clone()
        layers.append(small)
        if not last:
            layers.append(nn.ReLU())
        keep_in = keep_out
    return nn.Sequential(*layers)
