"""The Swiss roll made in NumPy, and its pipelines: points on the rolled-up sheet, standardized, with stretches."""

from __future__ import annotations

import numpy as np

from ..swiss_roll import TURNS, load_datasets, make_swiss_roll


def test_points_lie_on_the_roll_and_stretches_follow_t():
    points, stretch = make_swiss_roll(2000, 0.0, np.random.default_rng(0))
    radius = np.hypot(points[:, 0], points[:, 2])  # t: the distance from the roll's axis
    assert points.shape == (2000, 3) and points.dtype == np.float32
    assert TURNS[0] - 1e-4 <= radius.min() and radius.max() <= TURNS[1] + 1e-4
    np.testing.assert_allclose(np.arctan2(points[:, 2], points[:, 0]) % (2 * np.pi), radius % (2 * np.pi),
                               atol=1e-4)
    assert set(np.unique(stretch)) == set(range(10))
    assert all(np.diff([radius[stretch == s].mean() for s in range(10)]) > 0), "stretches run along t"


def test_pipelines_are_standardized_with_the_training_points(quick_config):
    cfg = quick_config("data.source=swiss_roll", "data.swiss_roll_examples=1000", "data.validation_split=0.2")
    datasets = load_datasets(cfg, batch_size=100)
    train = np.concatenate([x.numpy() for x, _ in datasets.train])
    test_points, test_labels = (np.concatenate(parts) for parts in zip(*[(x.numpy(), y.numpy())
                                                                        for x, y in datasets.test], strict=True))
    assert datasets.num_train == 800 and len(train) == 800 and len(test_points) == 200
    np.testing.assert_allclose(train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(train.std(axis=0), 1.0, atol=1e-5)
    assert test_labels.dtype == np.int64 and datasets.class_names[0] == "stretch 1"
    again = load_datasets(cfg, batch_size=100)
    np.testing.assert_array_equal(np.concatenate([x.numpy() for x, _ in again.test]), test_points)
