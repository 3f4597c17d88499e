"""Cost measures of a (pruned) network: parameters, size on disk, forward latency."""
from prunebench.metrics.cost import cost_record, forward_flops, nonzero_parameters, serialized_sizes
from prunebench.metrics.latency import forward_latency_table, time_forward

__all__ = ["cost_record", "forward_flops", "forward_latency_table", "nonzero_parameters", "serialized_sizes", "time_forward"]
