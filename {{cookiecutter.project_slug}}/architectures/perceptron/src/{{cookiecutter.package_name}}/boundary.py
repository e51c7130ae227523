"""The decision boundary: the line (or curve) where the network's answer turns from class 0 to class 1.

During training a callback asks the network for its probability of class 1 at every point of a grid over the
plane, after each epoch, and keeps the answers (boundaries/epoch_NNN.npy, 13 KB each). `evaluate` draws the
last trained network's boundary with the test points, and a strip of frames from those files: how the
boundary moved while the network learned.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from .runtime.i18n import _
from .runtime.plots import plt, save_figure
from .runtime.storage import write_atomically

# [x1 min, x1 max, x2 min, x2 max]: the toy sets are about 2 units wide (data.py); points farther out are not shown.
WINDOW = [-2.5, 2.5, -2.5, 2.5]
GRID = 80  # grid points along each axis
FRAMES = 8  # epochs shown in the strip, at most, from the first to the last


def probability_map(model: keras.Model) -> np.ndarray:
    """The model's probability of class 1 over a GRID x GRID grid covering WINDOW (x2 rises from row to row)."""
    x1, x2 = np.meshgrid(np.linspace(*WINDOW[:2], GRID), np.linspace(*WINDOW[2:], GRID))
    points = np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)
    return np.asarray(model.predict_on_batch(points)).reshape(GRID, GRID)


class BoundaryRecorder(keras.callbacks.Callback):
    """Saves the probability map after every epoch (boundaries/epoch_NNN.npy, in float16: ample for a picture)."""

    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def on_train_begin(self, logs=None):
        self.folder.mkdir(parents=True, exist_ok=True)

    def on_epoch_end(self, epoch, logs=None):
        probabilities = probability_map(self.model).astype(np.float16)
        write_atomically(self.folder / f"epoch_{epoch + 1:03d}.npy", lambda partial: np.save(partial, probabilities))


def draw(axis, probabilities: np.ndarray, points: np.ndarray, labels: np.ndarray, title: str) -> None:
    """Shading: the probability of class 1 (blue) or 0 (red); the black line: where it is 0.5; dots: the points."""
    axis.imshow(probabilities, origin="lower", extent=WINDOW, cmap="RdBu", vmin=0, vmax=1, alpha=0.5, aspect="auto")
    if probabilities.min() < 0.5 < probabilities.max():  # a boundary inside the window
        axis.contour(np.linspace(*WINDOW[:2], GRID), np.linspace(*WINDOW[2:], GRID), probabilities, levels=[0.5],
                     colors="black", linewidths=1.5)
    axis.scatter(points[:, 0], points[:, 1], c=labels, cmap="RdBu", vmin=0, vmax=1, s=8, edgecolors="black",
                 linewidths=0.3)
    axis.set(title=title, xlim=WINDOW[:2], ylim=WINDOW[2:], xticks=[], yticks=[])


def plot_final(model: keras.Model, points: np.ndarray, labels: np.ndarray, path: Path) -> None:
    """decision_boundary.png: the trained network's boundary and the test points."""
    figure, axis = plt.subplots(figsize=(5, 5))
    draw(axis, probability_map(model), points, labels, _("decision boundary (test points)"))
    save_figure(figure, path)


def plot_epochs(folder: Path, points: np.ndarray, labels: np.ndarray, path: Path) -> None:
    """boundary_per_epoch.png: the boundary after up to FRAMES epochs, from the first recorded to the last."""
    frames = sorted(folder.glob("epoch_*.npy"))
    # Spread out on a log scale: the boundary moves most in the first epochs.
    picked = np.unique(np.round(np.geomspace(1, len(frames), min(FRAMES, len(frames)))).astype(int)) if frames else []
    chosen = [frames[number - 1] for number in picked]
    figure, axes = plt.subplots(1, max(len(chosen), 1), figsize=(2.5 * max(len(chosen), 1), 2.7), squeeze=False)
    for axis, frame in zip(axes[0], chosen, strict=False):
        title = _("epoch {epoch}").format(epoch=int(frame.stem[6:]))
        draw(axis, np.load(frame).astype(np.float32), points, labels, title)
    figure.tight_layout()
    save_figure(figure, path)
