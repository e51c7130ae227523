"""Pictures a learner looks at, as PNG files (never a window): the training curves, and how every other
picture of the project is saved."""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; never try to open a window
import matplotlib.pyplot as plt  # noqa: E402

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
    save_figure(figure, path)


def save_figure(figure, path: Path) -> None:
    """Write the figure as a PNG in one rename (storage.py), and free it."""
    write_atomically(path, lambda partial: figure.savefig(partial, dpi=100))
    plt.close(figure)
