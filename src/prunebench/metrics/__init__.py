"""Cost measures of a (pruned) network: parameters, size on disk, forward latency."""

from prunebench.metrics.cost import cost_record, forward_flops, nonzero_parameters, serialized_sizes
from prunebench.metrics.latency import LatencySettings, forward_latency_table, slimmed_latency, time_forward

__all__ = [
    "LatencySettings",
    "cost_record",
    "forward_flops",
    "forward_latency_table",
    "nonzero_parameters",
    "serialized_sizes",
    "slimmed_latency",
    "time_forward",
]
