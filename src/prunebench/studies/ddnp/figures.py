"""002 figures drawn from the library itself."""
from __future__ import annotations

import matplotlib.pyplot as plt
import torch

from prunebench.pruning.search.topk import smoothstep, sorted_soft_mask


def soft_against_binary_mask(channels: int = 64, gamma: int = 20, ck: float = 40.0) -> plt.Figure:
    """002-F2 (the document's Fig. 2): the smoothstep soft top-k mask against the binary mask, in importance order,
    from DDNP's own mask function: the continuous relaxation, its values at the channels, and the hard mask."""
    k = torch.tensor(ck / channels, dtype=torch.float64)
    soft = sorted_soft_mask(channels, k, gamma)
    binary = sorted_soft_mask(channels, k, 0)
    x = torch.linspace(0, channels, 20 * channels + 1, dtype=torch.float64)
    centres = torch.arange(channels) + 0.5
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(x, 1 - smoothstep(x, ck, gamma), color="tab:blue", lw=1.5, label="1 - smoothstep (Eq. 7), continuous")
    ax.plot(centres, soft, "s", color="tab:blue", ms=4, label=f"soft mask (sum {float(soft.sum()):.1f})")
    ax.step(torch.arange(channels + 1), torch.cat([binary, binary[-1:]]), where="post", color="tab:red", lw=1.2,
            label=f"binary mask ({int(binary.sum())} channels)")
    ax.axvspan(ck - gamma / 2, ck + gamma / 2, color="grey", alpha=0.1, label=r"window $C_l k \pm \gamma/2$")
    ax.axvline(ck, color="grey", ls="--", lw=1)
    ax.set(xlabel="channel, in decreasing order of importance", ylabel="mask value", xlim=(0, channels), ylim=(-0.05, 1.05))
    ax.set_title(rf"Soft top-$k$ against the binary mask: $C_l$ = {channels}, $\gamma$ = {gamma}, $C_l k$ = {ck:g}", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    return fig
