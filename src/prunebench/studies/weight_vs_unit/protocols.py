"""004-B3: the protocol choices the document leaves open (initialization, epochs, checkpoint selection).

Each change of the config's `protocols.changes` alters the default protocol in one place: its model spec (`model`,
e.g. {init: glorot_uniform}) or its training (`train`, e.g. {epochs: 20, select: last}). A changed protocol is a
model of the study of its own (`<model>_<name>`), so the shared stages train, prune and evaluate it.
"""

from __future__ import annotations

from prunebench.models.mlp import DEFAULT_INIT
from prunebench.training import TrainConfig

DEFAULT = "default"  # the protocol of the study's own model (T1, F1-F5, claims)


def protocol_model(model: str, protocol: str) -> str:
    """The `model` wildcard of a protocol."""
    return model if protocol == DEFAULT else f"{model}_{protocol}"


def protocol_models(model: str, spec: dict, changes: list[dict]) -> tuple[dict, dict]:
    """The study's models and per-model training overrides with every changed protocol added:
    ({model: spec, <model>_<name>: spec changed, ...}, {<model>_<name>: {"train": {...}}, ...})."""
    models, per_model = {model: spec}, {}
    for change in changes:
        name = protocol_model(model, change["name"])
        if name in models:
            raise ValueError(f"004-B3: protocol {change['name']!r} is named twice")
        models[name] = {**spec, **change.get("model", {})}
        per_model[name] = {"train": change.get("train", {})}
    return models, per_model


def protocol_settings(spec: dict, train: dict) -> dict:
    """What a reader needs to tell the protocols apart: initialization, epochs and checkpoint selection."""
    cfg = TrainConfig.from_dict(train)
    return {"init": spec.get("init", DEFAULT_INIT), "epochs": cfg.epochs, "select": cfg.select}
