"""000 figures: the Beta-VAE-Classif architecture drawn from the model itself (000-F1), and the MIG against beta at
each point of the protocol and the pruned accuracy against the MIG on dSprites (000-B1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
import torch
from matplotlib.patches import FancyBboxPatch
from torch import nn

from prunebench.data.dsprites import SHAPES
from prunebench.models.vae_classif import BetaVAEClassif
from prunebench.studies.disentangle.tables import MIG_POINTS

LEAF_TYPES = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)


def _describe(name: str, module: nn.Module) -> str:
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        kind = "ConvT" if isinstance(module, nn.ConvTranspose2d) else "Conv"
        return (
            f"{name}: {kind} {module.in_channels}->{module.out_channels}, k{module.kernel_size[0]} s{module.stride[0]}"
        )
    return f"{name}: Linear {module.in_features}->{module.out_features}"


@torch.no_grad()
def architecture_blocks(model: BetaVAEClassif, input_shape) -> list[dict]:
    """Each parametrized layer in execution order: part, name, description, output shape, parameters, kept."""
    blocks, shapes = [], {}
    hooks = [
        m.register_forward_hook(lambda mod, inp, out, n=n: shapes.__setitem__(n, tuple(out.shape[1:])))
        for n, m in model.named_modules()
        if isinstance(m, LEAF_TYPES)
    ]
    model.eval()
    x = torch.zeros((1, *input_shape))
    mu, _ = model.posterior(x)
    model.classifier(mu)
    if model.decoder is not None:
        model.decoder(mu)
    for h in hooks:
        h.remove()
    parts = {
        "encoder": "encoder",
        "mu": "latent",
        "logvar": "latent",
        "decoder": "reconstruction head",
        "classifier": "classifier head",
    }
    for name, module in model.named_modules():
        if isinstance(module, LEAF_TYPES):
            part = parts[name.split(".")[0]]
            blocks.append(
                {
                    "part": part,
                    "name": name,
                    "description": _describe(name, module),
                    "shape": shapes[name],
                    "parameters": sum(p.numel() for p in module.parameters()),
                    "kept": part != "reconstruction head",
                }
            )
    return blocks


def architecture_figure(model: BetaVAEClassif, input_shape, beta_note: str = "") -> plt.Figure:
    """000-F1: blocks with output shapes and parameter counts; shaded blocks remain at inference."""
    blocks = architecture_blocks(model, input_shape)
    columns = ["encoder", "latent", "classifier head", "reconstruction head"]
    by_part = {c: [b for b in blocks if b["part"] == c] for c in columns}
    height = max(len(v) for v in by_part.values()) + 2
    fig, ax = plt.subplots(figsize=(16, 1.1 * height + 1))
    ax.set_xlim(0, len(columns)), ax.set_ylim(-height, 1), ax.axis("off")
    ax.text(0.5, 0.3, f"input {tuple(input_shape)}", ha="center", fontsize=10, weight="bold")
    centers = {}
    for col, part in enumerate(columns):
        ax.text(col + 0.5, -0.3, part, ha="center", fontsize=12, weight="bold")
        for row, block in enumerate(by_part[part], start=1):
            y = -row - (0.3 if part == "classifier head" else 0)
            face = "#9ecae1" if block["kept"] else "white"
            ax.add_patch(
                FancyBboxPatch((col + 0.05, y - 0.35), 0.9, 0.7, boxstyle="round,pad=0.02", fc=face, ec="black")
            )
            ax.text(col + 0.5, y + 0.1, block["description"], ha="center", va="center", fontsize=8)
            ax.text(
                col + 0.5,
                y - 0.17,
                f"out {list(block['shape'])}, {block['parameters']:,} params",
                ha="center",
                va="center",
                fontsize=7,
            )
            centers.setdefault(part, []).append((col + 0.5, y))
    arrow = dict(arrowstyle="->", color="grey")
    for part in ("encoder", "reconstruction head"):
        pts = centers.get(part, [])
        for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
            ax.annotate("", (x1, y1 + 0.35), (x0, y0 - 0.35), arrowprops=arrow)
    if centers.get("encoder") and centers.get("latent"):
        ax.annotate("", (1.05, centers["latent"][0][1]), (0.95, centers["encoder"][-1][1]), arrowprops=arrow)
        if centers.get("classifier head"):
            ax.annotate("", (2.05, centers["classifier head"][0][1]), (1.95, centers["latent"][0][1]), arrowprops=arrow)
        if centers.get("reconstruction head"):
            ax.annotate(
                "",
                (3.05, centers["reconstruction head"][0][1]),
                (1.95, centers["latent"][-1][1]),
                arrowprops={**arrow, "ls": "--"},
            )
    kept = sum(b["parameters"] for b in blocks if b["kept"])
    total = sum(b["parameters"] for b in blocks)
    fig.suptitle(
        f"Beta-VAE-Classif{beta_note}: z ~ N(mu, exp(logvar)); shaded blocks remain at inference "
        f"({kept:,} of {total:,} parameters; the reconstruction head is removed)",
        fontsize=11,
    )
    return fig


POINT_LABELS = {
    "untrained": "untrained encoder (reference)",
    "with_head": "after the first phase (decoder, beta * KL)",
    "headless": "after head removal",
    "pruned": "after pruning + fine-tuning",
}


def mig_figure(mig: pd.DataFrame) -> plt.Figure:
    """000-B1, one row per dataset with factors: the MIG against beta at each point of the protocol (the mean a line,
    each seed a point), and the pruned accuracy against the MIG of the model pruning starts from."""
    datasets = list(dict.fromkeys(mig["dataset"]))
    fig, axes = plt.subplots(len(datasets), 2, figsize=(13, 4.5 * len(datasets)), squeeze=False)
    for (left, right), dataset in zip(axes, datasets):
        part = mig[mig["dataset"] == dataset]
        long = part.melt(
            id_vars=["beta", "seed"], value_vars=[f"mig_{p}" for p in MIG_POINTS], var_name="point", value_name="MIG"
        )
        long["point"] = long["point"].str.removeprefix("mig_").map(POINT_LABELS)
        sns.lineplot(long, x="beta", y="MIG", hue="point", style="point", markers=True, errorbar=None, ax=left)
        sns.scatterplot(long, x="beta", y="MIG", hue="point", alpha=0.4, legend=False, ax=left)
        left.set(xlabel="beta", ylabel="MIG of the latent means", title=f"{dataset}: disentanglement against beta")
        left.legend(fontsize=8)
        frame = part.assign(pruned_accuracy=100 * part["pruned_test_accuracy"], seed=part["seed"].astype(str))
        sns.scatterplot(
            frame, x="mig_headless", y="pruned_accuracy", hue="beta", style="seed", palette="viridis", s=70, ax=right
        )
        right.axhline(100 / len(SHAPES), color="grey", ls=":", label="chance")
        right.set(
            xlabel="MIG after head removal (the model pruned)",
            ylabel="test accuracy after pruning (%)",
            title=f"{dataset}: pruned accuracy against MIG",
        )
    fig.suptitle("Mutual Information Gap (Chen et al. 2018) of the Beta-VAE-Classif latent, and pruning")
    fig.tight_layout()
    return fig
