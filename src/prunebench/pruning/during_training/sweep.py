"""Sweep points of training-time variants: a study's optional `sweep: {<variant>: {<parameter>: [values]}}` gives, for a
method whose sparsity is an outcome (variational dropout's KL weight, L0's lambda), the strengths of its sweep
points. The `target` wildcard of such a run (its path's `sparsity<target>`) labels its sweep point: the sparsity it
aims at; what the run achieved is measured from its final masks.

Two ways to say which strength a sweep point gets: one value per entry of `prune.sparsities`, in order; or, with the
study's `sweep_seed`, the values are candidates, each trained once on that seed (never one of the evaluated seeds:
the strengths are chosen on runs that are not evaluated), and each sweep point gets the candidate whose achieved
sparsity lies nearest its label in log(1 - s) (`choose_candidates`)."""

from __future__ import annotations

import dataclasses
import math

from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.params import method_params

LOG_FLOOR = 1e-6  # 1 - s below this counts as this (a fully pruned candidate)


def sweep_point_params(variant: dict, sweep: dict, index: int) -> dict:
    """The variant's `params` with its sweep values at position `index` (of prune.sparsities, or of the candidates)."""
    return {**variant.get("params", {}), **{name: values[index] for name, values in sweep.items()}}


def is_selected(cfg: dict, variant: str) -> bool:
    """Whether the variant's strengths are chosen on the study's `sweep_seed` rather than listed per sparsity."""
    return "sweep_seed" in cfg and bool(cfg.get("sweep", {}).get(variant))


def candidate_count(cfg: dict, variant: str) -> int:
    return len(next(iter(cfg["sweep"][variant].values())))


def variant_params_at(cfg: dict, variant: str, sparsity: float) -> dict:
    """A study's variant's `params` at the sweep point labelled `sparsity` (one of its prune.sparsities); a variant
    without a sweep trains to any target sparsity with its own `params` (003's PIE populations use sparsities of
    their own); a variant whose strengths are selected gets its own `params` here, the chosen strength from the
    selection's output (the training job reads it)."""
    sweep = cfg.get("sweep", {}).get(variant, {})
    if not sweep or is_selected(cfg, variant):
        return dict(cfg["prune"]["variants"][variant].get("params", {}))
    index = [float(s) for s in cfg["prune"]["sparsities"]].index(float(sparsity))
    return sweep_point_params(cfg["prune"]["variants"][variant], sweep, index)


def choose_candidates(achieved: list[float | None], targets: list[float]) -> list[int]:
    """For each target sparsity, the index of the candidate whose achieved sparsity is nearest in log(1 - s) (ties:
    the first); a candidate without one (None: its training failed) is never chosen."""
    usable = [(i, math.log(max(1.0 - s, LOG_FLOOR))) for i, s in enumerate(achieved) if s is not None]
    if not usable:
        raise ValueError("no sweep candidate finished training: no strength can be chosen")
    return [min(usable, key=lambda c: abs(c[1] - math.log(max(1.0 - t, LOG_FLOOR))))[0] for t in targets]


def chosen_params(choice: dict, sparsity: float) -> dict:
    """The parameters sweep_choice's `choice` gives the sweep point labelled `sparsity`."""
    for point in choice["chosen"]:
        if float(point["target"]) == float(sparsity):
            return dict(point["params"])
    labels = [point["target"] for point in choice["chosen"]]
    raise ValueError(f"the sweep choice has no point labelled {sparsity} (its points: {labels})")


def _variant_errors(key: str, variant: dict, sweep: dict, points: int | None) -> list[str]:
    method = PRUNING_METHODS[variant["method"]]
    outcome = getattr(method, "sparsity_is_outcome", False)
    if outcome and not sweep:
        return [
            f"{key}: method {variant['method']!r} reaches a sparsity set by its strength: give a sweep, one value per"
            " prune.sparsities"
        ]
    if sweep and not outcome:
        return [f"{key}: method {variant['method']!r} trains to the target sparsity itself and takes no sweep"]
    known = [f.name for f in dataclasses.fields(method.Params)]
    errors = [
        f"{key}.{name}: method {variant['method']!r} has no such parameter ({known})"
        for name in sweep
        if name not in known
    ]
    if points is not None:
        errors += [
            f"{key}.{name}: {len(values)} values for {points} prune.sparsities"
            for name, values in sweep.items()
            if len(values) != points
        ]
    elif len({len(values) for values in sweep.values()}) > 1:
        errors.append(f"{key}: every parameter needs as many candidates ({ {n: len(v) for n, v in sweep.items()} })")
    if errors:
        return errors
    for index in range(len(next(iter(sweep.values()))) if sweep else 1):
        try:
            method_params(variant["method"], sweep_point_params(variant, sweep, index))
        except (TypeError, ValueError) as e:
            return [f"{key}: {e}"]
    return []


def sweep_errors(study: str, cfg: dict) -> list[str]:
    """Every sweep that does not fit its variant (unknown variant or parameter, not one value per sparsity without
    `sweep_seed`, a method whose sparsity is an outcome without one, a target-taking method with one), every invalid
    parameter value, and a `sweep_seed` among the evaluated seeds."""
    variants, sweeps = cfg["prune"]["variants"], cfg.get("sweep", {})
    errors = [
        f"config key studies.{study}.sweep.{name}: no such variant under prune.variants"
        for name in sorted(set(sweeps) - set(variants))
    ]
    if "sweep_seed" in cfg and cfg["sweep_seed"] in cfg.get("seeds", []):
        errors.append(
            f"config key studies.{study}.sweep_seed: {cfg['sweep_seed']} is among studies.{study}.seeds; the strengths "
            "are chosen on a seed that is not evaluated"
        )
    points = None if "sweep_seed" in cfg else len(cfg["prune"]["sparsities"])
    for name, variant in variants.items():
        errors += _variant_errors(f"config key studies.{study}.sweep.{name}", variant, sweeps.get(name, {}), points)
    return errors
