"""003-F2's x axis: ticks at the levels drawn, labelled by the % of weights remaining."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from prunebench.studies.review.tickets_figures import winning_ticket_figure  # noqa: E402


def test_f2_labels_each_level_drawn_and_nothing_else():
    rows = [
        {"lr": lr, "seed": 0, "schedule": "dense", "level": 0, "arm": "dense", "sparsity": 0.0, "test_accuracy": 90.0}
        for lr in (0.01, 0.1)
    ]
    for lr in (0.01, 0.1):
        for schedule in ("iterative", "oneshot"):
            for level in (1, 2, 3):
                for arm in ("rewind", "reinit"):
                    rows.append(
                        {
                            "lr": lr,
                            "seed": 0,
                            "schedule": schedule,
                            "level": level,
                            "arm": arm,
                            "sparsity": 1 - 0.5**level,
                            "test_accuracy": 80.0,
                        }
                    )
    fig = winning_ticket_figure(pd.DataFrame(rows), "small_cnn")
    fig.canvas.draw()
    for ax in fig.axes:
        assert list(ax.get_xticks()) == [50.0, 25.0, 12.5]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["50", "25", "12.5"]
        assert len(ax.xaxis.get_minorticklocs()) == 0
    plt.close(fig)
