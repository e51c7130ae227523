"""Points in the plane with a class 0 or 1: four toy sets drawn in NumPy, or your own from a CSV file.

The toy sets are the course notes' pictures. `xor`: noisy points around the four corners of a square,
opposite corners in the same class, which no straight line separates. `blobs`: two clouds that one line
does separate. `moons` and `circles`: curved boundaries. Every set is drawn from the seed, so the same seed
gives the same points; there is nothing to download.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import tensorflow as tf

from .runtime.data_sources import DataError, Datasets, pipeline
from .runtime.text_files import read_utf8

CLASS_NAMES = ["0", "1"]


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train / validation / test pipelines of `data.source`, batched by `batch_size`.

    even_batches: every training and validation batch is full (needed with several replicas).
    """
    data = cfg["data"]
    if data["source"] == "csv":
        points, labels = read_points(data["csv_path"], labelled=True)
    else:
        points, labels = draw_toy_set(data["dataset"], data["synthetic_examples"], data["noise"], cfg["seed"])
    splits = split(points, labels, data["validation_split"], data["test_split"], cfg["seed"])
    (train_points, train_labels), validation, test = splits

    def batches(pair, drop_remainder=False):
        return pipeline(tf.data.Dataset.from_tensor_slices(pair), batch_size, drop_remainder=drop_remainder)

    train = tf.data.Dataset.from_tensor_slices((train_points, train_labels))
    return Datasets(
        train=pipeline(train, batch_size, shuffle_buffer=len(train_points), seed=cfg["seed"],
                       drop_remainder=even_batches),
        validation=batches(validation, even_batches) if len(validation[0]) else None,
        test=batches(test),
        source=data["source"],
        class_names=CLASS_NAMES,
        num_train=len(train_points),
    )


def draw_toy_set(name: str, count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` points (float32, shape (count, 2)) of the toy set `name`, about 2 units across, and their classes.

    `noise` is the standard deviation of the Gaussian noise added to each coordinate.
    """
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, count)
    if name == "xor":
        # Class 0 around (-1, -1) and (1, 1), class 1 around (-1, 1) and (1, -1): the sign of x1 * x2.
        first = rng.choice([-1.0, 1.0], count)
        shapes = np.stack([first, np.where(labels == 1, -first, first)], axis=1)
    elif name == "blobs":
        shapes = np.where(labels[:, None] == 1, 1.0, -1.0) * np.ones((count, 2))
    elif name == "moons":
        # Two interleaved half circles of radius 1; the second is turned over and shifted into the first's bay.
        angle = rng.uniform(0.0, np.pi, count)
        upper = np.stack([np.cos(angle) - 0.5, np.sin(angle) - 0.25], axis=1)
        lower = np.stack([0.5 - np.cos(angle), 0.25 - np.sin(angle)], axis=1)
        shapes = np.where(labels[:, None] == 1, lower, upper)
    else:  # circles: class 0 on a circle of radius 1, class 1 on one of radius 0.5 inside it
        angle = rng.uniform(0.0, 2 * np.pi, count)
        radius = np.where(labels == 1, 0.5, 1.0)[:, None]
        shapes = radius * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    points = shapes + rng.normal(0.0, noise, (count, 2))
    return points.astype(np.float32), labels.astype(np.int64)


def split(points: np.ndarray, labels: np.ndarray, validation_share: float, test_share: float, seed: int):
    """(train, validation, test), each a (points, labels) pair, after one shuffle (a file sorted by class is fine)."""
    order = np.random.default_rng(seed + 1).permutation(len(points))
    points, labels = points[order], labels[order]
    num_test, num_validation = round(len(points) * test_share), round(len(points) * validation_share)
    cuts = [len(points) - num_test - num_validation, len(points) - num_test]
    return [(chunk_points, chunk_labels) for chunk_points, chunk_labels
            in zip(np.split(points, cuts), np.split(labels, cuts), strict=True)]


def read_points(path: str | Path, labelled: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """Points from a CSV file with the columns x1,x2 and, if `labelled`, label (0 or 1); a header line is optional."""
    setting = "data.csv_path" if labelled else "--file"
    path = Path(path).expanduser()
    if not path.is_file():
        raise DataError(f"{setting}={str(path)!r}: no such file")
    text = read_utf8(path, setting)
    rows = [row for row in csv.reader(text.splitlines()) if any(cell.strip() for cell in row)]
    columns = 3 if labelled else 2
    if rows and not _is_number(rows[0][0]):
        rows = rows[1:]  # the header
    if not rows:
        raise DataError(f"{path}: no points; expected rows of {'x1,x2,label' if labelled else 'x1,x2'}")
    values = []
    for line, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row[:columns]]
        if len(cells) < columns or not all(_is_number(cell) for cell in cells):
            raise DataError(f"{path}: row {line} is {','.join(row)!r}; expected {columns} numbers "
                            f"({'x1,x2,label' if labelled else 'x1,x2'})")
        values.append([float(cell) for cell in cells])
    values = np.array(values)
    if not labelled:
        return values.astype(np.float32), None
    if not np.isin(values[:, 2], (0, 1)).all():
        raise DataError(f"{path}: a label is {values[~np.isin(values[:, 2], (0, 1)), 2][0]:g}; expected 0 or 1")
    return values[:, :2].astype(np.float32), values[:, 2].astype(np.int64)


def _is_number(text: str) -> bool:
    try:
        return np.isfinite(float(text))
    except ValueError:
        return False
