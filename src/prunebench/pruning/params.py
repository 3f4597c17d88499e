"""A pruning method's parameters: from the config's `params` mapping to its dataclass, and as a JSON schema."""

from __future__ import annotations

import dataclasses
import typing

from prunebench.pruning.methods import PRUNING_METHODS

JSON_TYPES = {int: "integer", float: "number", bool: "boolean", str: "string"}


def method_params(method: str, values: dict | None):
    """The Params dataclass of `method` filled from `values` (unknown or mistyped names raise, naming them)."""
    params_class = PRUNING_METHODS[method].Params
    known = {f.name for f in dataclasses.fields(params_class)}
    unknown = sorted(set(values or {}) - known)
    if unknown:
        raise ValueError(
            f"pruning method {method!r} has no parameter {unknown}; its parameters: {sorted(known) or 'none'}"
        )
    return params_class(**(values or {}))


def params_schema(method: str) -> dict:
    """JSON schema of `method`'s `params` mapping, built from its dataclass (types and names, and the allowed values
    of a field declared with `metadata={"choices": ...}`)."""
    params_class = PRUNING_METHODS[method].Params
    hints = typing.get_type_hints(params_class)
    properties = {}
    for field in dataclasses.fields(params_class):
        properties[field.name] = {"type": JSON_TYPES[hints[field.name]]}
        if "choices" in field.metadata:
            properties[field.name]["enum"] = list(field.metadata["choices"])
    return {"type": "object", "additionalProperties": False, "properties": properties}


def variant_schema_rules() -> list[dict]:
    """One `if method is X then params follows X's schema` rule per registered method."""
    return [
        {"if": {"properties": {"method": {"const": name}}}, "then": {"properties": {"params": params_schema(name)}}}
        for name in PRUNING_METHODS.names()
    ]
