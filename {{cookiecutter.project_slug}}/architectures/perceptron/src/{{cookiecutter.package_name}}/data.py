"""Points in the plane with a class 0 or 1: four toy sets drawn in NumPy.

The toy sets are the course notes' pictures. `xor`: noisy points around the four corners of a square,
opposite corners in the same class, which no straight line separates. `blobs`: two clouds that one line
does separate. `moons` and `circles`: curved boundaries. Every set is drawn from the seed, so the same seed
gives the same points; there is nothing to download.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from .runtime.data_sources import Datasets, pipeline

CLASS_NAMES = ["0", "1"]


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train / validation / test pipelines of the toy set, batched by `batch_size`.

    even_batches: every training and validation batch is full (needed with several replicas).
    """
    data = cfg["data"]
    points, labels = draw_toy_set(data["dataset"], data["synthetic_examples"], data["noise"], cfg["seed"])
    # Held out first, in whole blocks of four points (see draw_toy_set), so that every split holds as many points
    # of each XOR corner (of each class) as of the others.
    num_test, num_validation = (max(4, 4 * int(len(points) * data[share] / 4)) if data[share] else 0
                                for share in ("test_split", "validation_split"))
    held_out = num_test + num_validation
    num_train = len(points) - held_out

    def batches(start: int, stop: int, **options) -> tf.data.Dataset:
        pairs = tf.data.Dataset.from_tensor_slices((points[start:stop], labels[start:stop]))
        return pipeline(pairs, batch_size, **options)

    return Datasets(
        train=batches(held_out, len(points), shuffle_buffer=num_train, seed=cfg["seed"], drop_remainder=even_batches),
        validation=batches(num_test, held_out, drop_remainder=even_batches) if num_validation else None,
        test=batches(0, num_test),
        source=data["source"],
        class_names=CLASS_NAMES,
        num_train=num_train,
    )


def draw_toy_set(name: str, count: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """`count` points (float32, shape (count, 2)) of the toy set `name`, about 2 units across, and their classes.

    `noise` is the standard deviation of the Gaussian noise added to each coordinate. The points come in blocks of
    four, in random order within each block: one point of each XOR corner, two of each class for the other sets.
    Any whole number of blocks is balanced: on XOR a line can get at most three of its four equal corners, 75 %.
    """
    rng = np.random.default_rng(seed)
    corners = rng.permuted(np.tile(np.arange(4), (-(-count // 4), 1)), axis=1).ravel()[:count]
    labels = corners % 2
    if name == "xor":
        # Class 0 around (-1, -1) and (1, 1), class 1 around (-1, 1) and (1, -1): the sign of x1 * x2.
        first = np.where(corners < 2, -1.0, 1.0)
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

