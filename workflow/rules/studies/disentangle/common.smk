# Study 000 (disentangle): input helpers of its rules (functions only).
from prunebench.data.dsprites import DESIGNS as FACTOR_DATASETS  # the datasets generated with ground-truth factors

DIS = f"{RESULTS}/disentangle"
HEADLESS = f"{RESULTS}/{RUN}/headless"
FACTORS = f"{DATA}.factors.pt"
MIG_POINT = f"{RESULTS}/{RUN}/{{point}}/mig.json"  # untrained | dense (first phase, with the head) | headless
MIG_PRUNED = f"{PRUNED}/mig.json"


def dis_models(cfg):
    """The study's named models (the `model` wildcard) from `baseline` and `betas`: cnn_classif, beta_vae_b<beta>."""
    kwargs = cfg.get("model", {})
    models = {"cnn_classif": {"arch": "cnn_classif", **kwargs}} if cfg["baseline"] else {}
    for beta in cfg["betas"]:
        models[f"beta_vae_b{float(beta):g}".replace(".", "p")] = {"arch": "beta_vae_classif", "beta": beta, **kwargs}
    return models


# The shared stages read study_cfg(study)["models"]; 000 configures betas as a list (config files replace lists
# but merge mappings, so a smaller config could not drop betas of config.yaml) and names its models here.
if study_enabled("disentangle"):
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


def dis_has_factors():
    return any(dataset in FACTOR_DATASETS for dataset in dis_cfg()["datasets"])


def dis_mig_runs():
    """000-B1's rows: every pruned Beta-VAE-Classif run on a dataset with ground-truth factors, with its beta."""
    betas = {r["model"]: r["beta"] for r in dis_runs() if r["arch"] == "beta_vae_classif"}
    return [
        {**r, "beta": betas[r["model"]]}
        for r in dis_pruned_runs()
        if r["model"] in betas and r["dataset"] in FACTOR_DATASETS
    ]


def dis_mig_inputs(wildcards):
    """The prepared data, its factors and, past the untrained point, the checkpoint the MIG is measured on."""
    inputs = {"data": f"{DATA}.pt", "factors": FACTORS}
    if wildcards.point != "untrained":
        inputs["model"] = {"dense": f"{DENSE}/model.pt", "headless": f"{HEADLESS}/model.pt"}[wildcards.point]
    return inputs


def dis_mig_paths(point):
    """The MIG records of 000-B1's rows at one point: untrained, dense, headless or pruned."""
    if point == "pruned":
        return paths(MIG_PRUNED, dis_mig_runs())
    return paths(MIG_POINT, [{**run, "point": point} for run in dis_mig_runs()])


def dis_claims_inputs(wildcards):
    """T1 and, where a dataset with factors is configured, 000-B1."""
    inputs = {"table": artifact_path("disentangle", "T1", "csv")}
    if dis_has_factors():
        inputs["mig"] = artifact_path("disentangle", "B1", "csv")
    return inputs
