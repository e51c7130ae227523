"""The decision boundary: the line (or curve) where the network's answer turns from class 0 to class 1.

During training a callback asks the network for its probability of class 1 at every point of a grid over the
plane, after each epoch, and keeps the answers (boundaries/epoch_NNN.npy, 6 KB each). `evaluate` draws the
last trained network's boundary with the test points, and a strip of frames from those files: how the
boundary moved while the network learned.
"""

from __future__ import annotations

import json
from pathlib import Path

import keras
import numpy as np

from .runtime.plots import plt, save_figure
from .runtime.storage import write_atomically, write_json

GRID = 80  # grid points along each axis
FRAMES = 8  # epochs shown in the strip, at most, from the first to the last
WINDOW_FILE = "window.json"


def window_around(points: np.ndarray, margin: float = 0.5) -> list[float]:
    """[x1 min, x1 max, x2 min, x2 max]: the points' bounding box and a margin, where the grid is laid."""
    low, high = points.min(axis=0) - margin, points.max(axis=0) + margin
    return [float(low[0]), float(high[0]), float(low[1]), float(high[1])]


def grid_points(window: list[float]) -> np.ndarray:
    """GRID x GRID points covering `window`, row by row from the bottom (x2 rises from row to row)."""
    x1, x2 = np.meshgrid(np.linspace(*window[:2], GRID), np.linspace(*window[2:], GRID))
    return np.stack([x1.ravel(), x2.ravel()], axis=1).astype(np.float32)


def probability_map(model: keras.Model, window: list[float]) -> np.ndarray:
    """The model's probability of class 1 over the grid, as a GRID x GRID picture."""
    return np.asarray(model.predict_on_batch(grid_points(window))).reshape(GRID, GRID)


class BoundaryRecorder(keras.callbacks.Callback):
    """Saves the probability map after every epoch as grey levels 0-255 (boundaries/epoch_NNN.npy)."""

    def __init__(self, folder: Path, window: list[float]):
        super().__init__()
        self.folder, self.window = folder, window

    def on_train_begin(self, logs=None):
        self.folder.mkdir(parents=True, exist_ok=True)
        write_json(self.folder / WINDOW_FILE, self.window)

    def on_epoch_end(self, epoch, logs=None):
        levels = np.round(probability_map(self.model, self.window) * 255).astype(np.uint8)
        write_atomically(self.folder / f"epoch_{epoch + 1:03d}.npy", lambda partial: np.save(partial, levels))


def recorder(datasets, run_dir: Path) -> BoundaryRecorder:
    """A recorder over a window around the training points (the same window in every epoch, and on resume)."""
    points = np.concatenate([batch_points.numpy() for batch_points, _ in datasets.train])
    return BoundaryRecorder(run_dir / "boundaries", window_around(points))


def draw(axis, probabilities: np.ndarray, window: list[float], points: np.ndarray, labels: np.ndarray,
         title: str) -> None:
    """Shading: the probability of class 1 (blue) or 0 (red); the black line: where it is 0.5; dots: the points."""
    axis.imshow(probabilities, origin="lower", extent=window, cmap="RdBu", vmin=0, vmax=1, alpha=0.5, aspect="auto")
    if probabilities.min() < 0.5 < probabilities.max():  # a boundary inside the window
        axis.contour(np.linspace(*window[:2], GRID), np.linspace(*window[2:], GRID), probabilities, levels=[0.5],
                     colors="black", linewidths=1.5)
    axis.scatter(points[:, 0], points[:, 1], c=labels, cmap="RdBu", vmin=0, vmax=1, s=8, edgecolors="black",
                 linewidths=0.3)
    axis.set(title=title, xlim=window[:2], ylim=window[2:], xticks=[], yticks=[])


def plot_final(model: keras.Model, folder: Path, points: np.ndarray, labels: np.ndarray, path: Path) -> None:
    """decision_boundary.png: the trained network's boundary and the test points."""
    window = read_window(folder) or window_around(points)
    figure, axis = plt.subplots(figsize=(5, 5))
    draw(axis, probability_map(model, window), window, points, labels, "decision boundary (test points)")
    save_figure(figure, path)


def plot_epochs(folder: Path, points: np.ndarray, labels: np.ndarray, path: Path) -> None:
    """boundary_per_epoch.png: the boundary after up to FRAMES epochs, from the first recorded to the last."""
    frames = sorted(folder.glob("epoch_*.npy"))
    # Spread out on a log scale: the boundary moves most in the first epochs.
    picked = np.unique(np.round(np.geomspace(1, len(frames), min(FRAMES, len(frames)))).astype(int)) if frames else []
    chosen = [frames[number - 1] for number in picked]
    window = read_window(folder)
    figure, axes = plt.subplots(1, max(len(chosen), 1), figsize=(2.5 * max(len(chosen), 1), 2.7), squeeze=False)
    for axis, frame in zip(axes[0], chosen, strict=False):
        epoch = int(frame.stem.split("_")[1])
        draw(axis, np.load(frame) / 255.0, window, points, labels, f"epoch {epoch}")
    if not chosen:
        axes[0, 0].text(0.5, 0.5, "no epochs recorded", ha="center", va="center")
        axes[0, 0].axis("off")
    figure.tight_layout()
    save_figure(figure, path)


def read_window(folder: Path) -> list[float] | None:
    path = folder / WINDOW_FILE
    return json.loads(path.read_text()) if path.is_file() else None
