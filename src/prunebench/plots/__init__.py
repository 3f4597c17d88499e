"""Figures: seaborn, saved as PNG + PDF."""

from prunebench.plots.save import save_figure

__all__ = ["save_figure"]
