# Shared helpers of every rule: config validation, path patterns, per-wildcard parameters, study targets.
import re
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError

from prunebench.config import (
    ConfigError,
    check_data_sources,
    check_model_files,
    evaluated_at_pruning,
    mask_stages,
    studies_without_local_data,
    trained_sparse,
    user_error,
    validate_config,
)
from prunebench.pruning import FAMILY_STAGES, PRUNING_METHODS, TARGET_MEASURES, Variant
from prunebench.run_times import benchmark_path
from prunebench.studies.manifest import ManifestError, load_manifest
from prunebench.pruning.during_training.sweep import candidate_count, is_selected, sweep_point_params, variant_params_at

ENV = str(Path(workflow.basedir) / "envs/prunebench.yaml")  # for --sdm conda


def prepared_exists(dataset):
    return Path(config["results"], "data", f"{dataset}.pt").exists()


# A bad config is the user's to fix: its message and what to do, not a traceback of this file. A study whose data only
# a local folder provides (002-T2's ImageNet) is left out, saying so, where the folder is not there; the rest runs.
try:
    STUDIES = load_manifest(Path(workflow.basedir) / "workflow/studies.yaml")  # in the order they are included
    validate_config(config, Path(workflow.basedir) / "workflow/schemas/config.schema.yaml")
    for study, why in studies_without_local_data(config, prepared_exists).items():
        print(f"prunebench: study {study} is left out of this run: {why}", file=sys.stderr)
        del config["studies"][study]
    check_model_files(config)
    check_data_sources(config, prepared_exists)
except ManifestError as error:
    sys.exit(f"prunebench: {error}")
except ConfigError as error:
    sys.exit(user_error(error, [str(f) for f in workflow.configfiles]))

RESULTS = config["results"]
LOGS = config["logs"]

RUN = "{study}/runs/{dataset}/{model}/seed{seed}"
DATA = f"{RESULTS}/data/{{dataset}}"
DENSE = f"{RESULTS}/{RUN}/dense"
# A pruned run: its variant and target, named by what the target measures (sparsity0.9, units0.9, flops0.5)
PRUNED = f"{RESULTS}/{RUN}/{{variant}}/{{measure}}{{target}}"


wildcard_constraints:
    study=r"[A-Za-z0-9_]+",
    dataset=r"[A-Za-z0-9_]+",
    model=r"[A-Za-z0-9_]+",
    variant=r"[A-Za-z0-9_]+",
    seed=r"\d+",
    measure="|".join(TARGET_MEASURES.values()),
    target=r"[0-9.]+",


def study_cfg(study):
    return config["studies"][study]


def target_label(target):
    """The `target` wildcard: 0.25 -> '0.25', 0 -> '0'."""
    return f"{float(target):g}"


def target_measure(study, variant):
    """What the variant's target measures (TARGET_MEASURES), from its method's structure."""
    method = study_cfg(study)["prune"]["variants"][variant]["method"]
    return TARGET_MEASURES[PRUNING_METHODS[method].structure]


def pruned_run(run, variant, target):
    """The wildcards of `run`'s `variant` pruned at `target`."""
    return {**run, "variant": variant, "measure": target_measure(run["study"], variant), "target": target_label(target)}


def data_params(wildcards):
    return {**config["data"], **config["datasets"][wildcards.dataset], "name": wildcards.dataset}


def model_params(wildcards):
    return study_cfg(wildcards.study)["models"][wildcards.model]


def per_model(wildcards, section):
    """A study's optional `per_model: {<model>: {train: {...}, finetune: {...}}}` overrides (001: lr 0.1 for ResNet50)."""
    return study_cfg(wildcards.study).get("per_model", {}).get(wildcards.model, {}).get(section, {})


def job_threads(wildcards):
    """Threads of a study's training jobs (`threads:` in its config, default 2). Results are bitwise reproducible for a
    fixed count; 1 lets two small jobs share 2 cores and avoids thread oversubscription on a busy machine."""
    return study_cfg(wildcards.study).get("threads", 2)


def train_params(wildcards):
    return {**study_cfg(wildcards.study)["train"], **per_model(wildcards, "train")}


def variant_cfg(wildcards):
    """The variant's config entry; a path naming another measure than its method's (flops0.5 for a weight method) is
    an error that says which."""
    variant = study_cfg(wildcards.study)["prune"]["variants"][wildcards.variant]
    measure = target_measure(wildcards.study, wildcards.variant)
    if getattr(wildcards, "measure", measure) != measure:
        raise WorkflowError(
            f"variant {wildcards.variant}'s runs are under {wildcards.variant}/{measure}<target>, not"
            f" {wildcards.variant}/{wildcards.measure}<target>: its method's target measures {measure}"
        )
    return variant


def prune_params(wildcards, extra=None):
    """The variant (prunebench.pruning.Variant), with `extra` parameters merged over its own, as a dict: Snakemake
    reruns a job whose params changed only for params of builtin types."""
    variant = Variant.from_config(variant_cfg(wildcards), study_cfg(wildcards.study)["prune"]["layers"])
    return (variant if extra is None else variant.with_params(extra)).as_dict()


def family_stage(wildcards, role):
    """The variant's stage for `role` (FAMILY_STAGES: "masks", the rule writing its masks; "evaluated", the model the
    evaluation measures), from its method's family."""
    return FAMILY_STAGES[PRUNING_METHODS[variant_cfg(wildcards)["method"]].family][role]


def alternatives(names):
    """A wildcard constraint matching exactly `names` (none: "(?!)", which matches nothing)."""
    return "|".join(names) or "(?!)"


SEARCHED_VARIANTS = sorted(name for name, stages in mask_stages(config).items() if "search" in stages)
# Rule-level constraints on {variant}: which of prune / search writes a variant's masks.pt.
SEARCHED_VARIANT = alternatives(SEARCHED_VARIANTS)
NOT_SEARCHED_VARIANT = rf"(?!(?:{SEARCHED_VARIANT})(?![A-Za-z0-9_]))[A-Za-z0-9_]+"


# Rule-level constraints of prune_evaluate (prune.smk): the studies and variants whose pruned model is evaluated in the
# job that prunes it, one interpreter start instead of two.
EVALUATED_AT_PRUNING_STUDIES, EVALUATED_AT_PRUNING_VARIANTS = evaluated_at_pruning(config)
EVALUATED_AT_PRUNING_STUDY = alternatives(EVALUATED_AT_PRUNING_STUDIES)
EVALUATED_AT_PRUNING_VARIANT = alternatives(EVALUATED_AT_PRUNING_VARIANTS)

# Rule-level constraints of train_sparse, which evaluates the model it trains (train_sparse.smk).
TRAINED_SPARSE_STUDIES, TRAINED_SPARSE_VARIANTS = trained_sparse(config)
TRAINED_SPARSE_STUDY = alternatives(TRAINED_SPARSE_STUDIES)
TRAINED_SPARSE_VARIANT = alternatives(TRAINED_SPARSE_VARIANTS)


def prune_inputs(wildcards):
    """The model to prune and, for a criterion that needs training data (Taylor), the prepared data."""
    inputs = {"model": base_model(wildcards)}
    if PRUNING_METHODS[variant_cfg(wildcards)["method"]].needs_data:
        inputs["data"] = f"{DATA}.pt".format(**wildcards)
    return inputs


# The trained model that pruning starts from: the dense model, unless a study adds stages after dense training
# (000 removes the reconstruction head and trains on) and registers its last output pattern here.
BASE_MODEL = {}


def base_model(wildcards):
    return BASE_MODEL.get(wildcards.study, f"{DENSE}/model.pt")


def is_slimmed(wildcards):
    """Channel pruning removes what it prunes: such a variant goes on as its physically slimmed network (slim.smk)."""
    return PRUNING_METHODS[variant_cfg(wildcards)["method"]].structure == "channel"


def slim_inputs(wildcards):
    """The model and channel masks to slim, and a searched variant's search record (its failure, if any)."""
    inputs = {"model": base_model(wildcards), "masks": f"{PRUNED}/masks.pt"}
    if wildcards.variant in SEARCHED_VARIANTS:
        inputs["search"] = f"{PRUNED}/search.json"
    return inputs


def pruned_start(wildcards):
    """The pruned model the later stages start from and the masks it holds: the slimmed network and the masks left on
    it for a channel-pruned variant, else the base model with the prune stage's masks."""
    if is_slimmed(wildcards):
        return {"model": f"{PRUNED}/slimmed.pt", "masks": f"{PRUNED}/slimmed_masks.pt"}
    return {"model": base_model(wildcards), "masks": f"{PRUNED}/masks.pt"}


def finetune_params(wildcards):
    return {**study_cfg(wildcards.study)["finetune"], **per_model(wildcards, "finetune")}


def last_training_params(wildcards):
    """The training of the model the evaluation stage measures (its train-set metrics use exactly those images)."""
    if "finetune" in study_cfg(wildcards.study):
        return finetune_params(wildcards)
    return train_params(wildcards)


def pruned_model(wildcards):
    """What the evaluation stage measures: a training-time variant's trained model and final masks (train_sparse.smk),
    the fine-tuned model and its final masks where the study fine-tunes, else the pruned model as it starts
    (`pruned_start`)."""
    if family_stage(wildcards, "evaluated") == "trained":
        return {"model": f"{PRUNED}/trained.pt", "masks": f"{PRUNED}/trained_masks.pt"}
    if "finetune" in study_cfg(wildcards.study):
        return {"model": f"{PRUNED}/finetuned.pt", "masks": f"{PRUNED}/finetuned_masks.pt"}
    return pruned_start(wildcards)


def runs_of(study):
    """Every (dataset, model, seed) a study trains, as wildcard dicts."""
    cfg = study_cfg(study)
    return [
        {"study": study, "dataset": dataset, "model": model, "seed": seed}
        for dataset in cfg["datasets"]
        for model, spec in cfg["models"].items()
        if spec is not None  # null drops a model merged in from config.yaml (--configfile merges mappings)
        for seed in cfg["seeds"]
    ]


def model_targets(study, model):
    """The targets a study prunes `model` at: its `per_model.<model>.sparsities`, else `prune.sparsities`."""
    cfg = study_cfg(study)
    return cfg.get("per_model", {}).get(model, {}).get("sparsities", cfg["prune"]["sparsities"])


def pruned_runs_of(study, targets=None):
    """Every (run, variant, target) of a study, as wildcard dicts."""
    return [
        pruned_run(run, variant, target)
        for run in runs_of(study)
        for variant in study_cfg(study)["prune"]["variants"]
        for target in (targets if targets is not None else model_targets(study, run["model"]))
    ]


def paths(pattern, runs):
    return [pattern.format(**run) for run in runs]


def pruned_runs_of_run(wildcards, study=None):
    """The pruned variants of one dense run (the study from the wildcards unless given), in a fixed order shared by
    the inputs and the params."""
    return [
        r
        for r in pruned_runs_of(study or wildcards.study)
        if r["dataset"] == wildcards.dataset and r["model"] == wildcards.model and r["seed"] == int(wildcards.seed)
    ]


STUDY_ARTIFACTS = {}  # study -> its artifact files, declared once by register_study


def artifact_path(study, artifact_id, file_key):
    """An artifact file's path as workflow/studies.yaml declares it (as another rule's input, or in a script's params)."""
    return f"{RESULTS}/{study}/{STUDIES[study].artifacts[artifact_id].files[file_key].name}"


def artifact(study, artifact_id, file_key):
    """An artifact file as a rule's output: its path, marked for the report (caption, category, subcategory, labels)
    where workflow/studies.yaml gives it a caption."""
    declared = STUDIES[study]
    file = declared.artifacts[artifact_id].files[file_key]
    if file.caption is None:
        return artifact_path(study, artifact_id, file_key)
    return report(
        artifact_path(study, artifact_id, file_key),
        caption=str(Path(workflow.basedir) / "workflow/report" / study / f"{file.caption}.rst"),
        category=declared.category,
        subcategory=declared.subcategory(artifact_id),
        labels=file.labels,
    )


def study_enabled(study):
    return study in config["studies"]


def is_artifact(path):
    """A catalog artifact is a file named by its ID: <document>-<T|F|B><n>_..., or <document>-claims."""
    return re.match(r"\d{3}-([TFB]\d+_|claims\.)", Path(path).name) is not None


def register_study(study, artifact_rules, wildcard_sets=lambda: [{}]):
    """Declare a study: its artifacts are the catalog-named outputs of the rules `artifact_rules()` returns (tables,
    figures, claims), nowhere listed by hand; a rule whose outputs carry wildcards is expanded over `wildcard_sets()`
    (001: one figure set per dataset and model). Both are called only when the config enables the study. The
    Snakefile makes each registered study a target; a study the config does not enable has no artifact."""
    files = []
    if study_enabled(study):
        for proxy in artifact_rules():
            for values in wildcard_sets() if proxy.rule.wildcard_names else [{}]:
                files += [str(path).format(**values) for path in proxy.output if is_artifact(path)]
    STUDY_ARTIFACTS[study] = list(dict.fromkeys(files))


# Training-time pruning (train_sparse.smk): per-variant training overrides and the strengths chosen on sweep_seed.

SWEEP = f"{RESULTS}/{{study}}/sweep/{{dataset}}/{{model}}/{{variant}}"


def sparse_train_params(wildcards):
    return {
        **train_params(wildcards),
        **study_cfg(wildcards.study).get("per_variant", {}).get(wildcards.variant, {}).get("train", {}),
    }


def sweep_choice_input(wildcards):
    """The strengths chosen for a variant selected on the study's sweep_seed (none for any other variant)."""
    if not is_selected(study_cfg(wildcards.study), wildcards.variant):
        return {}
    return {"sweep": f"{SWEEP}/choice.json".format(**wildcards)}
