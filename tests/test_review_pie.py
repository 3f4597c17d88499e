"""PIE on hand-made populations with known answers."""

import numpy as np
import pytest
import torch
from scipy import stats

from prunebench.studies.review.pie import class_changes, modal_labels, pie_flags, pie_summary, recall_minus_accuracy


def test_modal_labels_take_the_most_frequent_prediction_and_the_smallest_label_on_ties():
    predictions = torch.tensor([[0, 1, 2, 3], [0, 2, 2, 1], [1, 2, 0, 1], [2, 1, 0, 3]])
    assert modal_labels(predictions, 4).tolist() == [0, 1, 0, 1]  # image 1: 1 and 2 tie -> 1; image 3: 1 and 3 tie -> 1


def test_an_image_is_a_pie_when_the_modal_labels_differ():
    dense = torch.tensor([[0, 1, 2], [0, 1, 2], [0, 2, 2]])
    pruned = torch.tensor([[0, 2, 1], [0, 2, 2], [1, 1, 1]])
    assert pie_flags(dense, pruned, 3).tolist() == [False, True, True]


def test_recall_minus_accuracy_and_the_class_changes_with_welchs_t_test():
    labels = torch.tensor([0, 0, 1, 1])
    dense = torch.tensor([[0, 0, 1, 1], [0, 0, 1, 0], [0, 0, 1, 1]])  # accuracies 1, .75, 1; class 1 recall 1, .5, 1
    pruned = torch.tensor([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]])  # accuracies .5, .75, .25
    d = recall_minus_accuracy(dense, labels, 2)
    np.testing.assert_allclose(d, [[0, 0], [0.25, -0.25], [0, 0]])
    p = recall_minus_accuracy(pruned, labels, 2)
    np.testing.assert_allclose(p, [[0.5, -0.5], [0.25, -0.25], [0.25, -0.25]])
    table = class_changes(dense, pruned, labels, ["a", "b"]).set_index("class")
    assert table.loc["b", "change"] == pytest.approx(100 * (np.mean([-0.5, -0.25, -0.25]) - np.mean([0, -0.25, 0])))
    assert table.loc["a", "change"] == pytest.approx(-table.loc["b", "change"])
    expected = stats.ttest_ind([-0.5, -0.25, -0.25], [0, -0.25, 0], equal_var=False)
    assert table.loc["b", "p_value"] == pytest.approx(expected.pvalue) and table.loc["b", "welch_t"] == pytest.approx(
        expected.statistic
    )
    # class b's mean recall falls from 5/6 to 1/6 while the mean accuracy falls from 11/12 to 6/12
    assert table.loc["b", "recall_change_over_accuracy_change"] == pytest.approx((1 / 6 - 5 / 6) / (6 / 12 - 11 / 12))


def test_the_summary_counts_pies_and_the_accuracy_on_them():
    labels = torch.tensor([0, 1, 2, 0])
    dense = torch.tensor([[0, 1, 2, 0], [0, 1, 2, 1]])
    pruned = {0.5: torch.tensor([[0, 1, 2, 0], [0, 1, 2, 0]]), 0.9: torch.tensor([[0, 2, 2, 1], [0, 2, 2, 1]])}
    control = torch.tensor([[0, 1, 1, 1], [0, 1, 1, 1]])  # differs from the dense mode on images 2 and 3
    counts, images = pie_summary(dense, pruned, labels, 3, control)
    assert counts["pie_count"].tolist() == [0, 2]  # image 3's dense mode ties 0/1 -> 0; at 0.9: images 1 and 3
    assert counts["control_pie_count"].tolist() == [2, 2] and counts["control_models"].tolist() == [2, 2]
    row = counts.set_index("sparsity").loc[0.9]
    assert row["dense_accuracy_pie"] == pytest.approx(75.0) and row["pruned_accuracy_pie"] == pytest.approx(0.0)
    assert row["dense_accuracy_rest"] == pytest.approx(100.0) and row["pruned_accuracy_rest"] == pytest.approx(100.0)
    # the control on the PIEs (images 1, 3): right on 1, wrong on 3; on the rest (0, 2): right on 0, wrong on 2
    assert row["control_accuracy_pie"] == pytest.approx(50.0) and row["control_accuracy_rest"] == pytest.approx(50.0)
    assert images[["image", "true", "dense_modal", "pruned_modal"]].values.tolist() == [[1, 1, 1, 2], [3, 0, 0, 1]]
