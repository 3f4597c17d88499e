"""DDNP as the authors' released code runs it (gaosh/DDNP, commit 5417577: resnet_topk.py, train.py `train_topk`,
models/hypernet.py, models/k_gradients.py, utils.py `Flops_constraint_resnet_k`), not as the document describes it:
registered as "ddnp_code" and labelled as the released code everywhere (docs/studies/002-ddnp.md, "The authors'
released code").

The generators are the document's (g_k: sigmoid(FC(x_k) + 3); g_s: GRU + FC heads, its fixed input orthogonal as in
`importance_generator.__init__`). Each step, per layer, with Gumbel noise g drawn per channel:
- the sort key, without gradient: f(s-bar) x the channel's squared feature norm over the largest (`ip: false`, the
  code's default, `importance_generator.forward`), or 0.5 sigmoid(s-bar + g + 3) + 0.5 x the same norm ratio (`ip:
  true`, `importance_generator_ip.forward`); at evaluation the channels are ranked by a running mean of the key,
  updated at every training step (decay 0.995, with ip 0.99), as the code ranks them;
- the mask: the width mask of `code_masks` (window, floor, k's custom gradient) put in channel order by the key, times
  the gate G = sigmoid((s-bar + g + 3) / 0.4), the loss's only path to s-bar (evaluation: the hard top round(C k)
  by the running key, no gate);
- the penalty: lambda |log(T / pT)| (two-sided, `Flops_constraint_resnet_k.forward`; lambda = 2 reg_w = 2) on the
  widths C k, or with ip on (Sum hard(G) + C k) / 2, hard(G) = [G >= 1/2] with G's straight-through gradient; with ip
  also the consistency term Sum_l log(|mean hard(G_l) - k_l + r_l| + 1), G detached, r_l ~ U(-m, m) (train.py
  `pursuit_loss`, m = 0.02);
- the optimizers: AdamW on g_s (lr 1e-3, weight decay 1e-4) and on g_k (lr 1e-3, no weight decay, cosine-annealed
  to 0 over the search's epochs) (resnet_topk.py lines 145-157).
The squared feature norms (`train.py` `collect_fn`; models/gate_function.py `virtual_gate.calculate_fn`: the gated
feature squared, summed over positions, averaged over images) come from one pass over the pruning subset before the
search; the code takes them over the whole training set.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from prunebench.pruning.methods import PRUNING_METHODS
from prunebench.pruning.search.base import SearchParams, Searcher, StructuredSearchMethod, choice
from prunebench.pruning.search.code_masks import gumbel_noise, width_mask
from prunebench.pruning.search.flops import REGULARIZERS
from prunebench.pruning.search.generators import SCORE_FUNCTIONS, ImportanceGenerator, WidthGenerator
from prunebench.pruning.search.topk import hard_topk_mask, in_channel_order


@dataclass(frozen=True)
class DDNPCodeParams(SearchParams):
    lr: float = 1e-3  # g_s's AdamW (resnet_topk.py lines 145-157)
    weight_decay: float = 1e-4  # g_s's AdamW weight decay (same lines; g_k's: 0)
    width_lr: float = 1e-3  # g_k's AdamW, cosine-annealed to 0 over the epochs (same lines)
    lam: float = 2.0  # train.py train_topk: 2 x reg_w, reg_w = 1 (resnet_topk.py line 30)
    regularizer: str = choice("two_sided", REGULARIZERS)  # utils.py Flops_constraint_resnet_k.forward
    ip: bool = False  # resnet_topk.py line 36: the sort key and penalty of importance_generator_ip
    score_function: str = choice("sigmoid", tuple(SCORE_FUNCTIONS))  # f of the key (resnet_topk.py, --s_fun)
    temperature: float = 0.4  # of the gate G (hypernet.py, importance_generator.forward)
    gate_offset: float = 3.0  # added to s-bar in G (same)
    width_bias: float = 3.0  # g_k's offset (hypernet.py, k_generator)
    window: float = 0.05  # half-window int(window x C) of the width mask (hypernet.py, k_generator soft_range)
    floor: float = 0.025  # added to the width mask while training (hypernet.py, k_generator.forward)
    running_decay: float = 0.995  # of the key's running mean (hypernet.py, importance_generator r_lr)
    running_decay_ip: float = 0.99  # the same with ip (hypernet.py, importance_generator_ip r_lr)
    consistency_noise: float = 0.02  # m of r ~ U(-m, m) in the ip consistency term (train.py, pursuit_loss)

    def __post_init__(self):
        super().__post_init__()
        if not 0 <= self.window <= 1 or not 0 <= self.floor < 1:
            raise ValueError(f"ddnp_code window {self.window} or floor {self.floor} is not in [0, 1]")
        if self.ip and self.score_function != "sigmoid":
            raise ValueError("ddnp_code with ip: true takes score_function sigmoid (the code's only ip sort key)")


def straight_through_hard(gate: torch.Tensor) -> torch.Tensor:
    """[gate >= 1/2] with the gate's gradient (hypernet.py, hard_concrete)."""
    return (gate >= 0.5).to(gate.dtype) - gate.detach() + gate


class DDNPCodeSearcher(Searcher):
    uses_feature_norms = True

    def __init__(self, flops, p, params: DDNPCodeParams, noise: torch.Generator):
        super().__init__(flops, p, params)
        self.width_generator = WidthGenerator(len(self.channels), params.width_bias)
        self.importance_generator = ImportanceGenerator(self.channels, "gru_fc")
        nn.init.orthogonal_(self.importance_generator.inputs)
        self.register_buffer("norm_ratio", torch.ones(sum(self.channels)))  # squared norm over the layer's largest
        self.register_buffer("running_key", torch.zeros(sum(self.channels)))
        self.noise = noise
        self.half_windows = [int(params.window * c) for c in self.channels]
        self.score_function = SCORE_FUNCTIONS[params.score_function]
        self._state = None

    def optimizers(self, epochs):
        p: DDNPCodeParams = self.params
        scores = torch.optim.AdamW(self.importance_generator.parameters(), lr=p.lr, weight_decay=p.weight_decay)
        widths = torch.optim.AdamW(self.width_generator.parameters(), lr=p.width_lr, weight_decay=0.0)
        return [scores, widths], [torch.optim.lr_scheduler.CosineAnnealingLR(widths, epochs, eta_min=0.0)]

    @torch.no_grad()
    def set_feature_norms(self, norms):
        ratios = [n / n.max().clamp_min(torch.finfo(n.dtype).tiny) for n in norms]
        self.norm_ratio.copy_(torch.cat(ratios))

    def _split(self, flat: torch.Tensor) -> list[torch.Tensor]:
        return list(torch.split(flat, self.channels))

    def train_masks(self):
        params: DDNPCodeParams = self.params
        k = self.width_generator()
        masks, keys, hard_gates = [], [], []
        for s, k_l, ratio, channels, half in zip(
            self.importance_generator(), k, self._split(self.norm_ratio), self.channels, self.half_windows
        ):
            g = gumbel_noise(s.shape, self.noise, s.dtype).to(s.device)
            if params.ip:
                key = 0.5 * torch.sigmoid(s + g + params.gate_offset) + 0.5 * ratio
            else:
                key = self.score_function(s) * ratio
            key = key.detach()
            gate = torch.sigmoid((s + g + params.gate_offset) / params.temperature)
            masks.append(in_channel_order(key, width_mask(k_l, channels, half, params.floor)) * gate)
            keys.append(key)
            if params.ip:
                hard_gates.append(straight_through_hard(gate))
        decay = params.running_decay_ip if params.ip else params.running_decay
        with torch.no_grad():
            self.running_key.mul_(decay).add_((1 - decay) * torch.cat(keys))
        self._state = (k, hard_gates)
        return masks

    def penalty(self):
        params: DDNPCodeParams = self.params
        k, hard_gates = self._state
        full = k * torch.tensor(self.channels, dtype=k.dtype, device=k.device)
        if not params.ip:
            return self.flops_penalty(full)
        kept = torch.stack([h.sum() for h in hard_gates])
        penalty = self.flops_penalty((kept + full) / 2)
        r = (torch.rand(len(self.channels), generator=self.noise, dtype=k.dtype) - 0.5) * 2 * params.consistency_noise
        fractions = torch.stack([h.detach().mean() for h in hard_gates])
        return penalty + torch.log((fractions - k + r.to(k.device)).abs() + 1).sum()

    @torch.no_grad()
    def gate_state(self):
        """The mean width k and the mean noiseless gate sigmoid((s-bar + 3) / t)."""
        params: DDNPCodeParams = self.params
        gates = [torch.sigmoid((s + params.gate_offset) / params.temperature) for s in self.importance_generator()]
        return {"mean_width": float(self.width_generator().mean()), "mean_gate": float(torch.cat(gates).mean())}

    @torch.no_grad()
    def channel_scores(self):
        return [key.clone() for key in self._split(self.running_key)]

    @torch.no_grad()
    def final_masks(self):
        k = self.width_generator()
        return [hard_topk_mask(key, k_l) for key, k_l in zip(self._split(self.running_key), k)]


@PRUNING_METHODS.register("ddnp_code")
class DDNPCode(StructuredSearchMethod):
    Params = DDNPCodeParams

    def searcher(self, flops, p, noise):
        return DDNPCodeSearcher(flops, p, self.params, noise)
