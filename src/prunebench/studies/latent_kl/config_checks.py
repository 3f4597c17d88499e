"""Cross-key checks of study 001's config (found by prunebench.config, beside the study's schema)."""

from __future__ import annotations


def config_errors(cfg: dict, config: dict) -> list[str]:
    """001 measures train-set PD on the fine-tuning's images (its first finetune.train_subset training images): the
    dense model must have trained on them too, so finetune.train_subset <= train.train_subset (null = all)."""
    errors = []
    for model, spec in cfg["models"].items():
        if spec is None:  # a model dropped by a merged config
            continue
        overrides = cfg.get("per_model", {}).get(model, {})
        dense = {**cfg["train"], **overrides.get("train", {})}.get("train_subset")
        tuned = {**cfg["finetune"], **overrides.get("finetune", {})}.get("train_subset")
        if dense is not None and (tuned is None or tuned > dense):
            where = f" (model {model}, per_model overrides included)" if overrides else ""
            errors.append(
                f"config key studies.latent_kl.finetune.train_subset: {'null' if tuned is None else tuned} exceeds"
                f" train.train_subset {dense}{where} (null = the whole training split): train-set PD compares the dense"
                " and the pruned model on the fine-tuning's images, which the dense model must have trained on"
            )
    return list(dict.fromkeys(errors))
