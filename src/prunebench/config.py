"""Config validation: the JSON schema (with registry names as enums) plus cross-key checks.

Runs when the Snakefile is parsed, so a bad config fails before any job starts, naming the key.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import jsonschema
import yaml

from prunebench.data import DATASETS, LOCAL_FOLDERS, load_raw
from prunebench.data.augment import AUGMENTATIONS
from prunebench.data.raw import option_error
from prunebench.models import MODELS
from prunebench.models.registry import argument_error
from prunebench.pruning import FAMILY_STAGES, LAYER_SELECTIONS, PRUNING_METHODS, SCOPES, variant_schema_rules
from prunebench.pruning.during_training.sweep import sweep_errors
from prunebench.studies.manifest import load_manifest
from prunebench.training.config import SELECTIONS, TRACKABLE_SPLITS
from prunebench.training.optim import OPTIMIZERS, SCHEDULES


class ConfigError(ValueError):
    pass


def _key(path) -> str:
    return ".".join(str(p) for p in path) or "<top level>"


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        hint = f"; allowed keys: {allowed}" if allowed else ""
        return f"config key {_key(error.absolute_path)}: {error.message}{hint}"
    return f"config key {_key(error.absolute_path)}: {error.message}"


def _load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def load_schema(path) -> dict:
    """The config schema, with the schema of each study the workflow declares (workflow/studies.yaml, the folder
    above the schema's) under `studies`: studies/<study>.schema.yaml beside it."""
    path = Path(path)
    schema = _load_yaml(path)
    for study in load_manifest(path.parent.parent / "studies.yaml"):
        schema["properties"]["studies"]["properties"][study] = _load_yaml(
            path.parent / "studies" / f"{study}.schema.yaml"
        )
    schema["$defs"]["dataset_name"]["enum"] = DATASETS.names()
    schema["$defs"]["model_arch"]["enum"] = MODELS.names()
    schema["$defs"]["pruning_method"]["enum"] = PRUNING_METHODS.names()
    schema["$defs"]["optimizer"]["enum"] = sorted(OPTIMIZERS)
    schema["$defs"]["schedule"]["enum"] = sorted(SCHEDULES)
    schema["$defs"]["selection"]["enum"] = list(SELECTIONS)
    schema["$defs"]["layer_selection"]["enum"] = list(LAYER_SELECTIONS)
    schema["$defs"]["scope"]["enum"] = list(SCOPES)
    schema["$defs"]["tracked_split"]["enum"] = list(TRACKABLE_SPLITS)
    schema["$defs"]["augmentation"]["enum"] = list(AUGMENTATIONS)
    schema["$defs"]["prune_variant"]["allOf"] = variant_schema_rules()
    return schema


def validate_config(config: dict, schema_path) -> None:
    """Raise ConfigError listing every problem, each naming its key and, where known, the allowed values."""
    validator = jsonschema.Draft202012Validator(load_schema(schema_path))
    errors = [_message(e) for e in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path)))]
    if not errors:
        errors = _cross_key_errors(config)
    if errors:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(errors))


def _cross_key_errors(config: dict) -> list[str]:
    """Checks across keys: the shared ones, then each study's own (`prunebench.studies.<study>.config_checks`)."""
    errors = [e for name, entry in config["datasets"].items() if (e := option_error(name, entry.get("options", {})))]
    for study, cfg in config["studies"].items():
        for dataset in cfg["datasets"]:
            if dataset not in config["datasets"]:
                errors.append(
                    f"config key studies.{study}.datasets: {dataset!r} has no entry under `datasets` "
                    f"(configured: {sorted(config['datasets'])})"
                )
        for model, spec in (cfg.get("models") or {}).items():
            if spec is not None and (error := argument_error(spec)):
                errors.append(f"config key studies.{study}.models.{model}: {error}")
        if "prune" in cfg:
            errors += sweep_errors(study, cfg)
        if importlib.util.find_spec(checks := f"prunebench.studies.{study}.config_checks") is not None:
            errors += importlib.import_module(checks).config_errors(cfg, config)
    # prune and search both write masks.pt, told apart by the variant's name alone (common.smk: SEARCHED_VARIANT)
    if shared := sorted(name for name, stages in mask_stages(config).items() if {"search", "prune"} <= stages):
        errors.append(
            f"config key studies.*.prune.variants: {shared} name a structured search in one study and a criterion in "
            "another; give them different names"
        )
    errors += trained_sparse_name_errors(config)
    return errors


def configured_variants(config: dict):
    """(study, its config, variant name, its method: PRUNING_METHODS' entry) for every variant of every study."""
    for study, cfg in config["studies"].items():
        for name, variant in (cfg or {}).get("prune", {}).get("variants", {}).items():
            yield study, cfg, name, PRUNING_METHODS[variant["method"]]


def trained_sparse_name_errors(config: dict) -> list[str]:
    """train_sparse is told from the other stages by study and variant name, each on its own (common.smk): in a study
    with training-time variants, no other variant may carry a name that is a training-time variant anywhere."""
    studies, names = trained_sparse(config)
    return [
        f"config key studies.{study}.prune.variants.{name}: {name!r} is a training-time variant in another study, and"
        f" study {study} trains variants sparse too; give this"
        f" {config['studies'][study]['prune']['variants'][name]['method']} variant another name"
        for study, _, name, method in configured_variants(config)
        if study in studies and name in names and method.family != "during_training"
    ]


def evaluated_at_pruning(config: dict) -> tuple[list[str], list[str]]:
    """(studies, variant names) whose pruned models are evaluated in the job that prunes them (common.smk:
    prune_evaluate): a criterion's masks on the trained model, in a study that neither fine-tunes nor slims it. A name
    counts only where it is such a criterion in every study without fine-tuning that has it."""
    studies, one_shot, other = set(), set(), set()
    for study, cfg, name, method in configured_variants(config):
        if "finetune" in cfg:
            continue
        if method.family == "criterion" and method.structure != "channel":
            studies.add(study)
            one_shot.add(name)
        else:
            other.add(name)
    return sorted(studies), sorted(one_shot - other)


def trained_sparse(config: dict) -> tuple[list[str], list[str]]:
    """(studies, variant names) of the training-time variants (common.smk: train_sparse, which evaluates the model it
    trains): the studies that have one, and every name that is one in some study."""
    found = [
        (study, name) for study, _, name, method in configured_variants(config) if method.family == "during_training"
    ]
    return sorted({study for study, _ in found}), sorted({name for _, name in found})


def mask_stages(config: dict) -> dict[str, set[str]]:
    """Every variant name, over every study, with the stages that write its masks (FAMILY_STAGES: one per family)."""
    stages: dict[str, set[str]] = {}
    for _, _, name, method in configured_variants(config):
        stages.setdefault(name, set()).add(FAMILY_STAGES[method.family]["masks"])
    return stages


def user_error(error: ConfigError, config_files: list[str]) -> str:
    """What a user sees for a bad config: the problems, each naming its key, and what to do (no traceback)."""
    files = ", ".join(config_files) or "config.yaml"
    return (
        f"prunebench: {error}\n"
        f"Nothing was run. Fix the key(s) named above in your config ({files}; workflow/schemas/ describes every "
        "key), then run the same command again."
    )


def dataset_source(config: dict, name: str) -> tuple[str | None, dict]:
    """(data_dir, loader options) of a dataset: `datasets.<name>.data_dir` where set, else `data.data_dir`."""
    entry = config["datasets"][name]
    return entry.get("data_dir", config["data"]["data_dir"]), entry.get("options", {})


def studies_without_local_data(config: dict, prepared_exists) -> dict[str, str]:
    """Studies that cannot run here: they use a dataset only a local folder provides (ImageNet: `LOCAL_FOLDERS`) and
    the folder is not there (nor its prepared data). study -> why, naming the key to set. The workflow leaves them out
    and says so; every other study runs."""
    missing = {}
    for study, cfg in config["studies"].items():
        for name in cfg["datasets"]:
            if name not in LOCAL_FOLDERS or prepared_exists(name):
                continue
            try:
                LOCAL_FOLDERS[name](dataset_source(config, name)[0])
            except FileNotFoundError as e:
                missing[study] = f"dataset {name!r} is not here: {e}"
    return missing


def check_model_files(config: dict) -> None:
    """Every `weights:` file a model of a study names (pretrained ImageNet weights) is there."""
    errors = [
        f"config key studies.{study}.models.{model}.weights: no file at {spec['weights']!r} (a local copy of "
        "torchvision's ImageNet state dict; nothing is downloaded)"
        for study, cfg in config["studies"].items()
        for model, spec in cfg.get("models", {}).items()
        if spec and spec.get("weights") and not Path(spec["weights"]).expanduser().is_file()
    ]
    if errors:
        raise ConfigError("\n  ".join(errors))


def check_data_sources(config: dict, prepared_exists) -> None:
    """Every dataset a study uses must be readable offline (from an existing data_dir where one is set), unless
    downloads are allowed.

    `prepared_exists(name)` says whether its prepared tensors are already there (then nothing is read). Reading a
    source means loading it (a generated dataset renders every image), so nothing is read where downloads are allowed:
    the check could not fail there. A dataset read from a local folder only is checked by `studies_without_local_data`.
    """
    if config["data"]["download"]:
        return
    used = sorted({dataset for cfg in config["studies"].values() for dataset in cfg["datasets"]} - set(LOCAL_FOLDERS))
    for name in used:
        if prepared_exists(name):
            continue
        data_dir, options = dataset_source(config, name)
        key = f"datasets.{name}.data_dir" if "data_dir" in config["datasets"][name] else "data.data_dir"
        if data_dir is not None and not Path(data_dir).is_dir():
            raise ConfigError(
                f"config key {key}: {data_dir!r} is not a folder; point it at the folder holding the datasets, set it"
                " to null to read the system packages, or set data.download: true to download into it"
            )
        try:
            load_raw(name, data_dir, download=False, options=options)
        except FileNotFoundError as e:
            raise ConfigError(f"config key {key} / data.download: no source for dataset {name!r}: {e}") from None
