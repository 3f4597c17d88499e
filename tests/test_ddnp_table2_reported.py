"""The document's Table 2 (ImageNet) as shipped data: its rows, and each printed delta checked against the printed
base and pruned accuracies (a check of the transcription)."""

import pytest

from prunebench.studies.ddnp.reported import TABLE2, load_reported

# Printed deltas that are not pruned - base of the printed accuracies: CC's top-5 prints -0.13%, 92.64% - 92.87% =
# -0.23%.
PRINTED_DISAGREEING = {("CC", "ResNet-50", "top5")}


@pytest.fixture(scope="module")
def table():
    return load_reported(TABLE2)


def test_table_2_has_the_printed_rows_per_model(table):
    assert len(table) == 25
    assert table.groupby("model", sort=False).size().to_dict() == {
        "ResNet-34": 5,
        "ResNet-50": 11,
        "MobileNetV2": 6,
        "MobileNetV3-small": 3,
    }
    assert table[table["method"] == "DDNP"]["model"].tolist() == [
        "ResNet-34",
        "ResNet-50",
        "MobileNetV2",
        "MobileNetV3-small",
    ]
    assert (table["dataset"] == "imagenet").all()
    assert (
        table["source"]
        .str.startswith("Gao, Huang, Zhang & Huang, Disentangled Differentiable Network Pruning, ECCV 2022, Table 2")
        .all()
    )
    accuracies = table.filter(regex="^(baseline|pruned)_top")
    assert (
        accuracies["baseline_top1"].notna().all()
        and ((accuracies > 0.5) & (accuracies < 1)).where(accuracies.notna(), True).all().all()
    )
    assert table["flops_reduction"].between(0.2, 0.6).all()


@pytest.mark.parametrize("top", ["top1", "top5"])
def test_each_printed_delta_is_pruned_minus_base_within_rounding(table, top):
    base, pruned, delta = table[f"baseline_{top}"], table[f"pruned_{top}"], table[f"delta_{top}"]
    assert (delta.notna() == (base.notna() & pruned.notna())).all()  # "-" for the delta exactly where an accuracy is
    # all printed to 0.01%: pruned - base of the printed numbers is within one unit of the printed delta
    off = table[delta.notna() & ((pruned - base - delta).abs() > 1e-4 + 1e-9)]
    assert {(row.method, row.model, top) for row in off.itertuples()} == {d for d in PRINTED_DISAGREEING if d[2] == top}
