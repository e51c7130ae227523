"""The confusion matrix of a classifier's test predictions, and its picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .i18n import _
from .plots import plt, save_figure


def count_confusions(labels: np.ndarray, predicted: np.ndarray, num_classes: int) -> np.ndarray:
    """matrix[true, predicted]: how many test examples of each class were given each class."""
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (labels, predicted), 1)
    return matrix


def plot_confusion_matrix(matrix: np.ndarray, class_names: list[str], path: Path) -> None:
    """Rows are the true class, columns the predicted one; the diagonal is what was right."""
    size = max(4.0, 0.5 * len(class_names) + 2)
    figure, axis = plt.subplots(figsize=(size, size))
    axis.imshow(matrix, cmap="Blues")
    axis.set(xticks=range(len(class_names)), yticks=range(len(class_names)), xticklabels=class_names,
             yticklabels=class_names, xlabel=_("predicted"), ylabel=_("true"),
             title=_("confusion matrix (test set)"))
    threshold = matrix.max() / 2 if matrix.size else 0
    for (row, column), count in np.ndenumerate(matrix):
        axis.text(column, row, str(count), ha="center", va="center", fontsize=8,
                  color="white" if count > threshold else "black")
    figure.tight_layout()
    save_figure(figure, path)
