"""Pictures a learner looks at: training curves, the confusion matrix, learned filters (PNG files, no window)."""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; never try to open a window
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .storage import write_atomically  # noqa: E402


def read_history(path: Path) -> dict[str, list[float]]:
    """history.csv as columns; a resumed run's rows are all in the one file."""
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {key: [float(row[key]) for row in rows if row.get(key) not in (None, "", "NA")]
               for key in (rows[0] if rows else {})}
    # Keras's CSVLogger adds val_ columns even to a run without validation; they hold only NA.
    return {key: values for key, values in columns.items() if values}


def plot_history(history: dict[str, list[float]], path: Path) -> None:
    """One panel per metric (loss, accuracy, ...), training and validation on the same axes."""
    names = [k for k in history if k not in ("epoch", "epoch_seconds") and not k.startswith("val_")]
    if not names:
        return
    figure, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.5), squeeze=False)
    epochs = [int(e) + 1 for e in history.get("epoch", range(len(history[names[0]])))]
    for axis, name in zip(axes[0], names, strict=True):
        axis.plot(epochs, history[name], marker="o", label="training")
        if f"val_{name}" in history:
            axis.plot(epochs, history[f"val_{name}"], marker="o", label="validation")
        axis.set(title=name, xlabel="epoch")
        axis.grid(alpha=0.3)
        axis.legend()
    figure.tight_layout()
    _save(figure, path)


def plot_confusion_matrix(matrix: np.ndarray, class_names: list[str], path: Path) -> None:
    """Rows are the true class, columns the predicted one; the diagonal is what was right."""
    size = max(4.0, 0.5 * len(class_names) + 2)
    figure, axis = plt.subplots(figsize=(size, size))
    axis.imshow(matrix, cmap="Blues")
    axis.set(xticks=range(len(class_names)), yticks=range(len(class_names)), xticklabels=class_names,
             yticklabels=class_names, xlabel="predicted", ylabel="true", title="confusion matrix (test set)")
    threshold = matrix.max() / 2 if matrix.size else 0
    for (row, column), count in np.ndenumerate(matrix):
        axis.text(column, row, str(count), ha="center", va="center", fontsize=8,
                  color="white" if count > threshold else "black")
    figure.tight_layout()
    _save(figure, path)


def plot_attention(examples: list[tuple[list[str], list[str], np.ndarray]], path: Path) -> None:
    """One heat-map per (source words, translated words, weights): which source word each output word looked at."""
    figure, axes = plt.subplots(1, len(examples), figsize=(5 * len(examples), 5), squeeze=False)
    for axis, (source, translation, weights) in zip(axes[0], examples, strict=True):
        axis.imshow(weights[: len(translation), : len(source)], cmap="viridis", vmin=0.0, vmax=1.0)
        axis.set(xticks=range(len(source)), yticks=range(len(translation)), xlabel="source", ylabel="translation")
        axis.set_xticklabels(source, rotation=90)
        axis.set_yticklabels(translation)
    figure.suptitle("attention weights (each row sums to 1)")
    figure.tight_layout()
    _save(figure, path)


def plot_filters(kernel: np.ndarray, image_size: tuple[int, int], path: Path, count: int = 100) -> None:
    """The weights into each of the first `count` units, drawn as images: what each unit looks for in the input.

    kernel: (pixels, units), one column per unit. Each picture has its own grey scale (light = positive).
    """
    count = min(count, kernel.shape[1])
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(columns, rows), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < count:
            axis.imshow(kernel[:, index].reshape(image_size), cmap="gray")
    figure.suptitle(f"weights of the first {count} hidden units")
    _save(figure, path)


def plot_image_grid(images: np.ndarray, path: Path, title: str = "") -> None:
    """Images (N, height, width, channels) of grey levels 0-255 as one square grid, without axes."""
    side = int(np.ceil(np.sqrt(len(images))))
    figure, axes = plt.subplots(side, side, figsize=(side, side), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < len(images):
            image = images[index]
            axis.imshow(image[..., 0] if image.shape[-1] == 1 else image, cmap="gray", vmin=0, vmax=255)
    if title:
        figure.suptitle(title)
    _save(figure, path)


def _save(figure, path: Path) -> None:
    write_atomically(path, lambda partial: figure.savefig(partial, dpi=100))
    plt.close(figure)
