"""Every data source gives (28, 28, 1) uint8 images and labels 0-9 as tf.data pipelines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from .. import schema
from ..data import load_datasets, read_image, read_npz, synthetic_digits
from ..runtime.data_sources import DataError, training_epoch
from ..runtime.errors import ConfigError
from .conftest import CONFIG_PATH, main


def write_npz(path, n_train=60, n_test=20, **replace):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
              "y_train": rng.integers(0, 10, n_train).astype(np.uint8),
              "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
              "y_test": rng.integers(0, 10, n_test).astype(np.uint8)}
    arrays.update(replace)
    np.savez(path, **{k: v for k, v in arrays.items() if v is not None})
    return path


def check_batches(dataset, batch_size):
    images, labels = next(iter(dataset))
    assert images.dtype == tf.uint8 and images.shape[1:] == (28, 28, 1) and images.shape[0] <= batch_size
    assert labels.dtype == tf.int64 and int(tf.reduce_max(labels)) < 10


def test_tfds_source_with_mocked_mnist(quick_config):
    cfg = quick_config("data.source=tfds")
    with tfds.testing.mock_data(num_examples=40):
        datasets = load_datasets(cfg, batch_size=16)
        for dataset in (datasets.train, datasets.validation, datasets.test):
            check_batches(dataset, 16)
    assert datasets.source == "tfds:mnist" and datasets.fallback_reason is None


def test_npz_source_holds_out_a_validation_share(quick_config, tmp_path):
    path = write_npz(tmp_path / "digits.npz", n_train=100)
    cfg = quick_config("data.source=npz", f"data.npz_path={path}", "data.validation_split=0.2")
    datasets = load_datasets(cfg, batch_size=16)
    assert datasets.num_train == 80
    assert sum(int(x.shape[0]) for x, _ in datasets.validation) == 20
    assert sum(int(x.shape[0]) for x, _ in datasets.test) == 20
    check_batches(datasets.train, 16)


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        ({"y_test": None}, "missing arrays y_test"),
        ({"x_train": np.zeros((60, 32, 32), np.uint8)}, r"x_train has shape \(60, 32, 32\); expected \(N, 28, 28\)"),
        ({"y_train": np.full(60, 12)}, "y_train holds int64 values from 12 to 12; expected integer labels 0-9"),
        ({"y_train": np.zeros(59, np.uint8)}, r"y_train has shape \(59,\); expected \(60,\)"),
        ({"x_test": np.full((20, 28, 28), 300.0)}, "x_test values run from 300.0 to 300.0; expected grey levels"),
    ],
)
def test_npz_problems_are_named(tmp_path, replace, message):
    with pytest.raises(DataError, match=message):
        read_npz(write_npz(tmp_path / "bad.npz", **replace))


def test_npz_source_needs_a_path_that_exists(tmp_path):
    with pytest.raises(ConfigError) as caught:
        schema.load(CONFIG_PATH, ["data.source=npz"])
    assert caught.value.problems == [
        "data.npz_path: got null; data.source=npz needs the path of a file with x_train, y_train, x_test, y_test"]
    with pytest.raises(ConfigError, match="data.npz_path: got '.*absent.npz'; no such file"):
        schema.load(CONFIG_PATH, ["data.source=npz", f"data.npz_path={tmp_path / 'absent.npz'}"])


def test_a_file_that_is_not_npz(tmp_path):
    path = tmp_path / "digits.npz"
    path.write_text("hello")
    with pytest.raises(DataError, match="cannot read it as an .npz file"):
        read_npz(path)


def refused(capsys, tmp_path: Path, *args: str) -> str:
    """`train.py ARGS` as a command, which must be refused (exit status 2) before it creates or changes anything
    under tmp_path; returns its stderr, one `error:` line per problem. Runs go under tmp_path."""
    before = sorted(tmp_path.rglob("*"))
    capsys.readouterr()
    assert main([*args, f"run.runs_dir={tmp_path / 'runs'}"]) == 2
    err = capsys.readouterr().err
    assert err and all(line.startswith("error: ") for line in err.splitlines()), err
    assert sorted(tmp_path.rglob("*")) == before, "a refused command creates nothing"
    return err.strip()


def test_a_run_on_a_truncated_npz_is_refused_before_anything_is_made(capsys, tmp_path):
    """An .npz cut short, as an interrupted download or copy leaves it: one line, exit status 2, no run directory."""
    path = write_npz(tmp_path / "digits.npz", n_train=200)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    err = refused(capsys, tmp_path, "train", "--config", str(CONFIG_PATH), "data.source=npz", f"data.npz_path={path}")
    assert err == (f"error: data.npz_path={str(path)!r}: cannot read it as an .npz file (File is not a zip file); "
                   f"it may be cut short or not an .npz at all: copy it again")


def test_real_mnist_subset_when_present(quick_config):
    """The 5,000 real digits beside the project, if this checkout has them (../shared/data)."""
    candidates = [parent / "shared/data/mnist/mnist-5k.npz" for parent in Path(__file__).resolve().parents]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        pytest.skip("no shared/data/mnist/mnist-5k.npz next to this checkout")
    x_train, y_train, x_test, y_test = read_npz(path)
    assert x_train.shape == (5000, 28, 28, 1) and x_test.shape == (5000, 28, 28, 1)
    assert np.bincount(y_train.ravel()).tolist() == [500] * 10


def test_synthetic_is_deterministic_and_balanced():
    first, second = synthetic_digits(500, seed=3), synthetic_digits(500, seed=3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert first[0].shape == (500, 28, 28, 1) and first[0].dtype == np.uint8
    assert set(np.unique(first[1])) == set(range(10))
    assert not np.array_equal(synthetic_digits(500, seed=4)[0], first[0])


def test_shuffling_depends_on_the_epoch_number_only(quick_config):
    """An epoch's order is drawn from (seed, epoch number): the same however many passes came before it,
    which is what lets a resumed run see the data as an uninterrupted one did, and new each epoch."""
    cfg = quick_config()
    labels = lambda d: np.concatenate([y.numpy() for _, y in d.train])  # noqa: E731
    a, b = load_datasets(cfg, 32), load_datasets(cfg, 32)
    epoch = training_epoch()
    epoch.assign(0)
    first_epoch = labels(a)
    np.testing.assert_array_equal(first_epoch, labels(a))
    np.testing.assert_array_equal(first_epoch, labels(b))
    epoch.assign(1)
    assert not np.array_equal(first_epoch, labels(a)), "each epoch should see a new order"
    epoch.assign(0)
    np.testing.assert_array_equal(first_epoch, labels(b))


def test_the_shuffled_training_pipeline_runs_untuned(quick_config):
    """tf.data's autotuning, around the flat_map that draws each epoch's order, stalled the first batch of some
    epochs for 2-6 s (data_sources.pipeline); the training pipeline is built with it off, the others keep it."""
    datasets = load_datasets(quick_config(), 32)
    assert datasets.train.options().autotune.enabled is False
    assert datasets.test.options().autotune.enabled is not False


def test_read_image_errors(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_image(tmp_path / "missing.png")
    bad = tmp_path / "cube.npy"
    np.save(bad, np.zeros((2, 2, 2, 2)))
    with pytest.raises(DataError, match=r"image has shape \(2, 2, 2, 2\)"):
        read_image(bad)

