"""Sweep points of training-time variants: a study's optional `sweep: {<variant>: {<parameter>: [values]}}` gives, for a
method whose sparsity is an outcome (variational dropout's KL weight, L0's lambda), one value of a parameter per
entry of `prune.sparsities`. The `sparsity` wildcard of such a run is the label of its sweep point, the sparsity it
aims at; what the run achieved is measured from its final masks."""
from __future__ import annotations

import dataclasses

from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.params import method_params


def sweep_point_params(variant: dict, sweep: dict, index: int) -> dict:
    """The variant's `params` with its sweep values at position `index` of prune.sparsities."""
    return {**variant.get("params", {}), **{name: values[index] for name, values in sweep.items()}}


def variant_params_at(cfg: dict, variant: str, sparsity: float) -> dict:
    """A study's variant's `params` at the sweep point labelled `sparsity` (one of its prune.sparsities); a variant
    without a sweep trains to any target sparsity with its own `params` (003's PIE populations use sparsities of
    their own)."""
    sweep = cfg.get("sweep", {}).get(variant, {})
    if not sweep:
        return dict(cfg["prune"]["variants"][variant].get("params", {}))
    index = [float(s) for s in cfg["prune"]["sparsities"]].index(float(sparsity))
    return sweep_point_params(cfg["prune"]["variants"][variant], sweep, index)


def _variant_errors(key: str, variant: dict, sweep: dict, points: int) -> list[str]:
    method = PRUNING_METHODS[variant["method"]]
    outcome = getattr(method, "sparsity_is_outcome", False)
    if outcome and not sweep:
        return [f"{key}: method {variant['method']!r} reaches a sparsity set by its strength: give a sweep, one value per prune.sparsities"]
    if sweep and not outcome:
        return [f"{key}: method {variant['method']!r} trains to the target sparsity itself and takes no sweep"]
    known = [f.name for f in dataclasses.fields(method.Params)]
    errors = [f"{key}.{name}: method {variant['method']!r} has no such parameter ({known})" for name in sweep if name not in known]
    errors += [f"{key}.{name}: {len(values)} values for {points} prune.sparsities" for name, values in sweep.items() if len(values) != points]
    if errors:
        return errors
    for index in range(points if sweep else 1):
        try:
            method_params(variant["method"], sweep_point_params(variant, sweep, index))
        except (TypeError, ValueError) as e:
            return [f"{key}: {e}"]
    return []


def sweep_errors(study: str, cfg: dict) -> list[str]:
    """Every sweep that does not fit its variant (unknown variant or parameter, not one value per sparsity, a method
    whose sparsity is an outcome without one, a target-taking method with one) and every invalid parameter value."""
    variants, sweeps = cfg["prune"]["variants"], cfg.get("sweep", {})
    errors = [f"config key studies.{study}.sweep.{name}: no such variant under prune.variants" for name in sorted(set(sweeps) - set(variants))]
    for name, variant in variants.items():
        errors += _variant_errors(f"config key studies.{study}.sweep.{name}", variant, sweeps.get(name, {}), len(cfg["prune"]["sparsities"]))
    return errors
