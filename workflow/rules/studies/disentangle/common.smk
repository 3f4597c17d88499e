# Study 000 (disentangle): input helpers of its rules (functions only).
DIS = f"{RESULTS}/disentangle"
HEADLESS = f"{RESULTS}/{RUN}/headless"
MIG_RUN = f"{DIS}/mig/beta{{beta}}/seed{{seed}}"


def dis_models(cfg):
    """The study's named models (the `model` wildcard) from `baseline` and `betas`: cnn_classif, beta_vae_b<beta>."""
    kwargs = cfg.get("model", {})
    models = {"cnn_classif": {"arch": "cnn_classif", **kwargs}} if cfg["baseline"] else {}
    for beta in cfg["betas"]:
        models[f"beta_vae_b{float(beta):g}".replace(".", "p")] = {"arch": "beta_vae_classif", "beta": beta, **kwargs}
    return models


# The shared stages read study_cfg(study)["models"]; 000 configures betas as a list (config files replace lists
# but merge mappings, so a smaller config could not drop betas of config.yaml) and names its models here.
if "disentangle" in config["studies"]:
    config["studies"]["disentangle"]["models"] = dis_models(config["studies"]["disentangle"])

# Pruning (shared prune/finetune/evaluate stages) starts from the model whose reconstruction head was removed.
BASE_MODEL["disentangle"] = f"{HEADLESS}/model.pt"


def dis_cfg():
    return study_cfg("disentangle")


def dis_runs():
    """Every (dataset, model, seed) of the study with the model's arch and beta, in config order."""
    return [
        {
            **run,
            "arch": dis_cfg()["models"][run["model"]]["arch"],
            "beta": dis_cfg()["models"][run["model"]].get("beta"),
        }
        for run in runs_of("disentangle")
    ]


def dis_pruned_runs():
    return pruned_runs_of("disentangle")


def dis_first_beta_run():
    """The run whose trained model 000-F1 draws: the first Beta-VAE-Classif of the config."""
    return next(r for r in dis_runs() if r["arch"] == "beta_vae_classif")


def dis_mig_runs():
    mig = dis_cfg()["mig"]
    return [{"beta": f"{float(beta):g}", "seed": seed} for beta in mig["betas"] for seed in mig["seeds"]]


def dis_mig_spec(wildcards):
    return {"arch": "beta_vae_classif", "beta": float(wildcards.beta), **dis_cfg()["mig"]["model"]}
