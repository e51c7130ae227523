"""Every source gives uint8 images of the configured size and channels, and bad files get clear errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from ..data import load_datasets, read_npz, synthetic_images
from ..runtime.data_sources import DataError


def first_batch(datasets):
    images, labels = next(iter(datasets.train))
    return images.numpy(), labels.numpy()


@pytest.mark.parametrize(("size", "channels"), [(28, 1), (32, 3)])
def test_synthetic_images_have_the_configured_shape(quick_config, size, channels):
    datasets = load_datasets(quick_config(f"data.image_size={size}", f"data.channels={channels}"), batch_size=8)
    images, labels = first_batch(datasets)
    assert images.shape == (8, size, size, channels) and images.dtype == np.uint8
    assert labels.dtype == np.int64 and datasets.validation is None and len(datasets.class_names) == 10


def test_synthetic_is_deterministic(quick_config):
    cfg = quick_config()
    for first, second in zip(synthetic_images(64, cfg, 3), synthetic_images(64, cfg, 3), strict=True):
        np.testing.assert_array_equal(first, second)


def write_npz(path: Path, **overrides) -> Path:
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (20, 28, 28), dtype=np.uint8), "y_train": rng.integers(0, 10, 20),
              "x_test": rng.integers(0, 256, (10, 28, 28), dtype=np.uint8), "y_test": rng.integers(0, 10, 10)}
    arrays.update(overrides)
    np.savez(path, **{key: value for key, value in arrays.items() if value is not None})
    return path


def test_npz_is_resized_and_coloured_as_configured(quick_config, tmp_path):
    path = write_npz(tmp_path / "digits.npz")
    datasets = load_datasets(quick_config("data.source=npz", f"data.npz_path={path}", "data.image_size=32",
                                          "data.channels=3"), batch_size=4)
    images, _ = first_batch(datasets)
    assert images.shape == (4, 32, 32, 3)
    np.testing.assert_array_equal(images[..., 0], images[..., 2])  # grey copied into all three channels
    assert datasets.num_train == 20 and datasets.source == "npz"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"y_test": None}, "missing arrays y_test"),
     ({"x_train": np.zeros((20, 28), np.uint8)}, "x_train has shape (20, 28)"),
     ({"y_train": np.full(20, -1)}, "y_train holds int64 values from -1 to -1; expected integer labels from 0"),
     ({"x_test": np.full((10, 28, 28), 300.0)}, "x_test values run from 300.0 to 300.0; expected grey levels 0-255"),
     ({"cut_in_half": True}, "cannot read it as an .npz file (File is not a zip file); it may be cut short")],
)
def test_bad_npz_files_are_named_with_what_is_wrong(tmp_path, overrides, message):
    path = write_npz(tmp_path / "bad.npz", **{key: value for key, value in overrides.items() if key != "cut_in_half"})
    if overrides.get("cut_in_half"):  # as an interrupted download or copy leaves it
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DataError, match=None) as caught:
        read_npz(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_folder_needs_class_subfolders(quick_config, tmp_path):
    only = tmp_path / "photos" / "cats"
    only.mkdir(parents=True)
    only.joinpath("a.png").write_bytes(tf.io.encode_png(np.zeros((40, 40, 3), np.uint8)).numpy())
    cfg = quick_config("data.source=folder", f"data.folder={tmp_path / 'photos'}")
    with pytest.raises(DataError, match="found 1 class sub-folder \\(cats\\); the quality classifier needs at least 2"):
        load_datasets(cfg, batch_size=4)


def test_folder_images_are_read_at_the_configured_size(quick_config, tmp_path):
    for index, name in enumerate(["cats", "dogs"]):
        folder = tmp_path / "photos" / name
        folder.mkdir(parents=True)
        for copy in range(3):
            image = np.full((50, 40, 3), 60 * index + copy, np.uint8)
            folder.joinpath(f"{copy}.png").write_bytes(tf.io.encode_png(image).numpy())
    cfg = quick_config("data.source=folder", f"data.folder={tmp_path / 'photos'}", "data.image_size=32",
                       "data.channels=3")
    datasets = load_datasets(cfg, batch_size=6)
    images, labels = first_batch(datasets)
    assert images.shape == (6, 32, 32, 3) and sorted(labels.tolist()) == [0, 0, 0, 1, 1, 1]
    assert datasets.class_names == ["cats", "dogs"] and datasets.num_train == 6


@pytest.mark.parametrize("name", ["mnist", "fashion_mnist"])
def test_tfds_source_through_tensorflow_datasets(quick_config, name):
    """The real loading code, fed by tensorflow-datasets' own mock data (offline)."""
    cfg = quick_config("data.source=tfds", f"data.tfds_name={name}", "data.image_size=32")
    with tfds.testing.mock_data(num_examples=24):
        datasets = load_datasets(cfg, batch_size=8)
        images, labels = first_batch(datasets)
        test_images, _ = next(iter(datasets.test))
    assert images.shape == (8, 32, 32, 1) and test_images.shape[1:] == (32, 32, 1)
    assert datasets.source == f"tfds:{name}" and len(datasets.class_names) == 10
