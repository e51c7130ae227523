"""The toy sets are what the notes draw, the same for the same seed, and split as config.yaml says."""

from __future__ import annotations

import numpy as np
import pytest

from .. import data, schema


def test_xor_puts_opposite_corners_in_the_same_class():
    points, labels = data.draw_toy_set("xor", 400, 0.0, seed=1)
    assert set(map(tuple, np.abs(points).tolist())) == {(1.0, 1.0)}
    np.testing.assert_array_equal(labels, (points[:, 0] * points[:, 1] < 0).astype(int))
    assert labels.mean() == 0.5


def test_blobs_lie_on_either_side_of_a_line_and_circles_one_inside_the_other():
    points, labels = data.draw_toy_set("blobs", 200, 0.3, seed=2)
    np.testing.assert_array_equal(points.sum(axis=1) > 0, labels == 1)
    points, labels = data.draw_toy_set("circles", 200, 0.0, seed=3)
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), np.where(labels == 1, 0.5, 1.0), rtol=1e-5)


@pytest.mark.parametrize("name", schema.DATASETS)
def test_each_set_is_the_same_for_the_same_seed_and_not_for_another(name):
    first, again, other = (data.draw_toy_set(name, 100, 0.2, seed) for seed in (5, 5, 6))
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.allclose(first[0], other[0])
    assert first[0].dtype == np.float32 and first[0].shape == (100, 2) and first[1].mean() == 0.5
    assert np.abs(first[0]).max() < 3, "about 2 units wide: the boundary pictures' window"


def test_the_splits_follow_the_config_in_whole_blocks_of_four(quick_config):
    cfg = quick_config("data.synthetic_examples=1001", "data.validation_split=0.1", "data.test_split=0.25")
    datasets = data.load_datasets(cfg, batch_size=50)
    sizes = [sum(len(labels) for _, labels in split) for split in (datasets.train, datasets.validation, datasets.test)]
    assert sizes == [653, 100, 248] and datasets.num_train == 653
    points, labels = next(iter(datasets.train))
    assert points.shape == (50, 2) and labels.shape == (50,)
    assert datasets.source == "synthetic" and datasets.class_names == ["0", "1"]


def test_every_xor_split_holds_as_many_points_of_each_corner(quick_config):
    # A line gets at most three of four equal corners: the single-layer perceptron's ceiling is 75 %, on any sample.
    cfg = quick_config("data.dataset=xor", "data.synthetic_examples=1000", "data.noise=0", "seed=43")
    datasets = data.load_datasets(cfg, batch_size=32)
    for split, size in ((datasets.train, 600), (datasets.validation, 200), (datasets.test, 200)):
        points = np.concatenate([points for points, _ in split])
        corners, counts = np.unique(points, axis=0, return_counts=True)
        assert len(corners) == 4 and counts.tolist() == [size // 4] * 4
