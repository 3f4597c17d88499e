from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from prunebench.atomic import atomic_path  # noqa: E402

sns.set_theme(context="paper", style="whitegrid", font_scale=1.2)


def save_figure(fig: plt.Figure, png_path, pdf_path) -> None:
    # A fixed creation date keeps the PDF bytes reproducible.
    for path, extra in ((png_path, {"dpi": 150}), (pdf_path, {"metadata": {"CreationDate": None}})):
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format=str(path).rsplit(".", 1)[-1], bbox_inches="tight", **extra)
    plt.close(fig)
