"""Structured search (the fourth family of docs/architecture.md, "Pruning families"): per-layer widths and channel
choices learnt as gates on a frozen network, then hard channel masks for slimming and fine-tuning.

topk.py: DDNP's soft (smoothstep) and hard top-k masks; generators.py: its width and importance generators;
flops.py: FLOPs as a function of the widths, and the FLOPs regularizer; gating.py: channel gates on any model through
forward hooks; base.py: what the methods share; ddnp.py, dp.py, ddnp_code.py: the methods (registered as "ddnp", "dp"
and "ddnp_code", the authors' released code; its width mask and noise: code_masks.py);
loop.py: the search loop; channel_search.py: the search stage on a network's channel space (gates, FLOPs model,
parameter masks for slimming).
"""

from prunebench.pruning.search import ddnp, ddnp_code, dp  # noqa: F401  (registers the methods)
from prunebench.pruning.search.channel_search import ChannelSearch, search_channels
from prunebench.pruning.search.base import SearchParams, Searcher, StructuredSearchMethod
from prunebench.pruning.search.flops import FlopsModel, flops_regularizer
from prunebench.pruning.search.gating import ChannelGates
from prunebench.pruning.search.loop import SearchData, SearchResult, SearchSettings, search, search_data

__all__ = [
    "ChannelGates",
    "ChannelSearch",
    "FlopsModel",
    "SearchData",
    "SearchParams",
    "SearchResult",
    "SearchSettings",
    "Searcher",
    "StructuredSearchMethod",
    "flops_regularizer",
    "search",
    "search_channels",
    "search_data",
]
