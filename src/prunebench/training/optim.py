"""Optimizers and learning-rate schedules by name: the config schema's enums are these dictionaries' keys."""

from __future__ import annotations

import torch

from prunebench.training.config import TrainConfig

# Fused kernels: one update for all parameters per step (measured in benchmarks/train_step.py).
OPTIMIZERS = {
    "adam": lambda params, cfg: torch.optim.Adam(params, lr=cfg.lr, weight_decay=cfg.weight_decay, fused=True),
    "sgd": lambda params, cfg: torch.optim.SGD(
        params, lr=cfg.lr, momentum=cfg.momentum, weight_decay=cfg.weight_decay, fused=True
    ),
}
SCHEDULES = {
    "constant": lambda optimizer, cfg: torch.optim.lr_scheduler.LambdaLR(optimizer, lambda epoch: 1.0),
    "cosine": lambda optimizer, cfg: torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(cfg.epochs, 1)),
    # x0.1 at 50% and 75% of the epochs: the step decay of Liu et al. 2019's CIFAR-10 runs (003's tickets)
    "step": lambda optimizer, cfg: torch.optim.lr_scheduler.MultiStepLR(
        optimizer, [cfg.epochs // 2, 3 * cfg.epochs // 4], 0.1
    ),
}


def parameter_groups(model: torch.nn.Module, undecayed=()) -> list[dict]:
    """The model's parameters with the weight decay of the config, except `undecayed` (a training-time method's own
    parameters, e.g. variational dropout's log sigma^2 or L0's log alpha), which get none: State of Sparsity
    regularizes the weights theta only (sparse_rn50/resnet_model.py passes its l2 regularizer as the kernel's alone)."""
    skip = {id(p) for p in undecayed}
    groups = [
        {"params": [p for p in model.parameters() if id(p) not in skip]},
        {"params": [p for p in model.parameters() if id(p) in skip], "weight_decay": 0.0},
    ]
    return [g for g in groups if g["params"]]


def make_optimizer(params, cfg: TrainConfig) -> torch.optim.Optimizer:
    """`params`: parameters, or groups (parameter_groups) whose own `weight_decay` overrides the config's."""
    if cfg.optimizer not in OPTIMIZERS:
        raise ValueError(f"train.optimizer: {cfg.optimizer!r} is not one of {sorted(OPTIMIZERS)}")
    return OPTIMIZERS[cfg.optimizer](params, cfg)


def make_schedule(optimizer: torch.optim.Optimizer, cfg: TrainConfig):
    if cfg.schedule not in SCHEDULES:
        raise ValueError(f"train.schedule: {cfg.schedule!r} is not one of {sorted(SCHEDULES)}")
    return SCHEDULES[cfg.schedule](optimizer, cfg)
