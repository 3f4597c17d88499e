"""Pruning identified exemplars (Hooker et al. 2019, "Selective Brain Damage: Measuring the Disparate Impact of Model
Pruning"): populations of independently trained dense and pruned models compared image by image and class by class.

- modal label of a population on an image: its most frequent prediction (ties: the smallest label);
- an image is a PIE at sparsity s when the modal label of the pruned population differs from the dense one's;
- the control: a second dense population of other seeds, never pruned; the images on which its modal label differs
  from the first dense population's are what seeds alone make PIEs of (the count's noise floor), and its accuracy on
  a sparsity's PIEs is a dense population's that took no part in selecting them;
- per class c and model m: recall_c(m) - accuracy(m), the class's recall relative to the model's overall accuracy;
  the change is its pruned-population mean minus its dense-population mean, tested with Welch's t-test (unequal
  variances): a negative, significant change marks a class that pays more than the average for pruning.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from scipy import stats
from torch import nn

from prunebench.data import to_float

SIGNIFICANCE = 0.05  # a class's change is marked significant at p < 0.05 (Welch's t-test, two-sided)


@torch.no_grad()
def predict(model: nn.Module, images: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """Predicted labels of uint8 `images`."""
    model.eval()
    device = next(model.parameters()).device
    return torch.cat(
        [
            model(to_float(images[i : i + batch_size]).to(device)).argmax(1).cpu()
            for i in range(0, len(images), batch_size)
        ]
    )


def modal_labels(predictions: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[models, images] predicted labels -> [images] modal label (ties: the smallest label)."""
    counts = torch.nn.functional.one_hot(predictions.long(), num_classes).sum(0)  # [images, classes]
    return counts.argmax(1)  # argmax returns the first maximum


def pie_flags(dense_predictions: torch.Tensor, pruned_predictions: torch.Tensor, num_classes: int) -> torch.Tensor:
    return modal_labels(dense_predictions, num_classes) != modal_labels(pruned_predictions, num_classes)


def recall_minus_accuracy(predictions: torch.Tensor, labels: torch.Tensor, num_classes: int) -> np.ndarray:
    """[models, classes]: each model's recall of each class minus its overall accuracy (NaN for an absent class)."""
    correct = (predictions == labels).float()  # [models, images]
    accuracy = correct.mean(1, keepdim=True)
    recall = torch.stack([correct[:, labels == c].mean(1) for c in range(num_classes)], 1)
    return (recall - accuracy).numpy()


def class_changes(dense: torch.Tensor, pruned: torch.Tensor, labels: torch.Tensor, classes: list[str]) -> pd.DataFrame:
    """Per class: the dense and pruned population means of recall minus accuracy, the change, Welch's t and p, and the
    change of mean recall divided by the change of mean accuracy (undefined when the accuracy does not change)."""
    d = recall_minus_accuracy(dense, labels, len(classes))
    p = recall_minus_accuracy(pruned, labels, len(classes))
    t, pvalue = stats.ttest_ind(p, d, axis=0, equal_var=False)
    accuracy_change = float((pruned == labels).float().mean() - (dense == labels).float().mean())
    rows = []
    for c, name in enumerate(classes):
        recall_change = float(
            (pruned[:, labels == c] == c).float().mean() - (dense[:, labels == c] == c).float().mean()
        )
        rows.append(
            {
                "class": name,
                "dense_recall_minus_accuracy": 100 * float(d[:, c].mean()),
                "pruned_recall_minus_accuracy": 100 * float(p[:, c].mean()),
                "change": 100 * float(p[:, c].mean() - d[:, c].mean()),
                "welch_t": float(t[c]),
                "p_value": float(pvalue[c]),
                "significant": bool(pvalue[c] < SIGNIFICANCE),
                "recall_change_over_accuracy_change": recall_change / accuracy_change
                if accuracy_change != 0
                else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def population_accuracy(predictions: torch.Tensor, labels: torch.Tensor, where: torch.Tensor) -> float:
    """Mean over the population's models of the accuracy (%) on the images `where` selects (NaN if none)."""
    if not bool(where.any()):
        return float("nan")
    return 100 * float((predictions[:, where] == labels[where]).float().mean())


def pie_summary(
    dense: torch.Tensor,
    pruned: dict[float, torch.Tensor],
    labels: torch.Tensor,
    num_classes: int,
    control: torch.Tensor,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per sparsity: the PIE count and the populations' accuracy on PIEs and on the rest, with the control's count
    and accuracy (counts); and every PIE with its true, dense-modal and pruned-modal label (images)."""
    dense_modal = modal_labels(dense, num_classes)
    control_count = int((dense_modal != modal_labels(control, num_classes)).sum())
    counts, images = [], []
    for sparsity, predictions in sorted(pruned.items()):
        pruned_modal = modal_labels(predictions, num_classes)
        flags = dense_modal != pruned_modal
        counts.append(
            {
                "sparsity": sparsity,
                "pie_count": int(flags.sum()),
                "pie_fraction": float(flags.float().mean()),
                "dense_accuracy": population_accuracy(dense, labels, torch.ones_like(flags)),
                "pruned_accuracy": population_accuracy(predictions, labels, torch.ones_like(flags)),
                "dense_accuracy_pie": population_accuracy(dense, labels, flags),
                "dense_accuracy_rest": population_accuracy(dense, labels, ~flags),
                "pruned_accuracy_pie": population_accuracy(predictions, labels, flags),
                "pruned_accuracy_rest": population_accuracy(predictions, labels, ~flags),
                "control_pie_count": control_count,
                "control_accuracy_pie": population_accuracy(control, labels, flags),
                "control_accuracy_rest": population_accuracy(control, labels, ~flags),
                "models_per_population": len(predictions),
                "control_models": len(control),
            }
        )
        for index in torch.nonzero(flags).flatten().tolist():
            images.append(
                {
                    "sparsity": sparsity,
                    "image": index,
                    "true": int(labels[index]),
                    "dense_modal": int(dense_modal[index]),
                    "pruned_modal": int(pruned_modal[index]),
                }
            )
    return pd.DataFrame(counts), pd.DataFrame(
        images, columns=["sparsity", "image", "true", "dense_modal", "pruned_modal"]
    )


def population_failures(dense: list[str | None], pruned: dict[float, list[str | None]]) -> dict[float, str]:
    """Per sparsity, why models of the dense population or of that sparsity's pruned population failed (each model's
    checkpoint failure, None where it finished): the distinct reasons joined, "" when every model finished."""
    return {
        sparsity: "; ".join(dict.fromkeys(r for r in [*dense, *reasons] if r)) for sparsity, reasons in pruned.items()
    }


def mark_failed(frame: pd.DataFrame, failures: dict[float, str], keys: list[str]) -> pd.DataFrame:
    """`frame` (rows per sparsity) with `failed` from `population_failures`; a failed population's numbers (every
    column but `keys`) missing: a population is compared whole, never as the models that survived."""
    failed = frame["sparsity"].map(failures).fillna("")
    measured = [c for c in frame.columns if c not in keys]
    return frame.assign(**{c: frame[c].where(failed == "") for c in measured}, failed=failed)
