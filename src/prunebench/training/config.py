from __future__ import annotations

from dataclasses import dataclass, fields

SELECTIONS = ("best_val_loss", "last")  # which epoch's weights training returns
TRACKABLE_SPLITS = ("train", "test")  # splits a run may evaluate after every epoch besides validation


@dataclass(frozen=True)
class TrainConfig:
    epochs: int
    batch_size: int = 100
    optimizer: str = "adam"  # one of prunebench.training.optim.OPTIMIZERS
    lr: float = 1e-3
    momentum: float = 0.9  # sgd only
    weight_decay: float = 0.0
    schedule: str = "constant"  # one of prunebench.training.optim.SCHEDULES
    select: str = "best_val_loss"  # one of SELECTIONS
    train_subset: int | None = None  # train on the first n training examples only (the split is already shuffled)
    track: tuple[str, ...] = ()  # TRACKABLE_SPLITS evaluated after every epoch ("train": the images trained on)
    snapshots: bool = False  # keep the masked layers' weights after every epoch (fine-tuning)
    augment: str = "none"  # one of prunebench.data.augment.AUGMENTATIONS, applied to every training batch

    @classmethod
    def from_dict(cls, values: dict) -> "TrainConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown training keys {unknown}; known: {sorted(known)}")
        return cls(**{**values, "track": tuple(values.get("track", ()))})
