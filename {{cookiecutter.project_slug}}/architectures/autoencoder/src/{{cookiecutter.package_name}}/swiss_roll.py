"""The Swiss roll: a flat sheet rolled up in 3-D, the classic test of dimensionality reduction.

A point's place on the sheet is (t, height); rolled up it is (t cos t, height, t sin t). Points close
in 3-D across two turns of the roll are far apart on the sheet, so a straight projection (PCA) puts
them together, while a good 2-D code unrolls the sheet. The labels cut the sheet into ten stretches along t,
so colour and the nearest-neighbour measures can follow the unrolling.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from .architecture import NUM_CLASSES
from .runtime.data_sources import Datasets, pipeline
from .runtime.i18n import _

TURNS = (1.5 * np.pi, 4.5 * np.pi)  # t runs over one and a half turns, as in sklearn's make_swiss_roll
HEIGHT = 21.0


def make_swiss_roll(count: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`count` points of the roll, (count, 3), and the stretch of each, 0-9 along t. noise: the standard
    deviation of the Gaussian noise added to each coordinate."""
    t = rng.uniform(*TURNS, count)
    height = rng.uniform(0.0, HEIGHT, count)
    points = np.stack([t * np.cos(t), height, t * np.sin(t)], axis=1) + noise * rng.standard_normal((count, 3))
    stretch = np.minimum((t - TURNS[0]) / (TURNS[1] - TURNS[0]) * NUM_CLASSES, NUM_CLASSES - 1).astype(np.int64)
    return points.astype(np.float32), stretch


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """Training points (less `data.validation_split`), and a test set a fifth the size, as (point, stretch) pairs.

    Every coordinate is standardized with the training points' mean and standard deviation, so that the
    network sees numbers of size about 1 whichever way the roll lies.
    """
    data = cfg["data"]
    rng = np.random.default_rng(cfg["seed"])
    points, stretch = make_swiss_roll(data["swiss_roll_examples"], data["swiss_roll_noise"], rng)
    test_points, test_stretch = make_swiss_roll(max(data["swiss_roll_examples"] // 5, 1),
                                                   data["swiss_roll_noise"], rng)
    cut = len(points) - int(len(points) * data["validation_split"])
    mean, std = points[:cut].mean(axis=0), points[:cut].std(axis=0)
    points, test_points = (points - mean) / std, (test_points - mean) / std

    def batched(x, y, **options):
        return pipeline(tf.data.Dataset.from_tensor_slices((x, y)), batch_size, **options)

    return Datasets(
        train=batched(points[:cut], stretch[:cut], shuffle_buffer=cut, seed=cfg["seed"], drop_remainder=even_batches),
        validation=batched(points[cut:], stretch[cut:], drop_remainder=even_batches) if cut < len(points) else None,
        test=batched(test_points, test_stretch),
        source="swiss_roll",
        class_names=[_("stretch {index}").format(index=index) for index in range(1, NUM_CLASSES + 1)],
        num_train=cut,
    )
