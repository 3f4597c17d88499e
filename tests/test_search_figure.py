"""002-F2 is drawn from the library's own mask function."""

import matplotlib.pyplot as plt
import numpy as np
import torch

from prunebench.pruning.search.topk import sorted_soft_mask
from prunebench.studies.ddnp.figures import soft_against_binary_mask


def test_soft_against_binary_mask_draws_the_library_masks():
    fig = soft_against_binary_mask(64, 20, 40)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    squares = next(line for label, line in lines.items() if label.startswith("soft mask"))
    assert np.allclose(
        squares.get_ydata(), sorted_soft_mask(64, torch.tensor(40 / 64, dtype=torch.float64), 20).numpy()
    )
    assert "binary mask (40 channels)" in lines and "soft mask (sum 40.0)" in lines
    plt.close(fig)
