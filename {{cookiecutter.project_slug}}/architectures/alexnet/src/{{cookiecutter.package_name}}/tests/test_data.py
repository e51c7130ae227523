"""Every source gives uint8 RGB images of input_size and integer labels; every bad folder gets a clear message."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from ..data import load_datasets, read_image, synthetic_images
from ..runtime.data_sources import DataError
from ..runtime.image_folders import scan_folder

SIZE = 72  # model.input_size in quick.MODEL_OVERRIDES


def write_image(path: Path, height: int, width: int, channels: int = 3, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pixels = np.random.default_rng(seed).integers(0, 256, (height, width, channels), dtype=np.uint8)
    encode = tf.io.encode_png if path.suffix == ".png" else tf.io.encode_jpeg
    path.write_bytes(encode(pixels).numpy())
    return path


def image_folder(root: Path, classes=("ants", "bees"), per_class: int = 10) -> Path:
    for index, name in enumerate(classes):
        for n in range(per_class):
            suffix = ".png" if n % 2 else ".jpg"
            write_image(root / name / f"{n}{suffix}", 40 + 7 * n, 60 + 3 * n, seed=index * 100 + n)
    return root


def folder_config(quick_config, tmp_path, *overrides):
    train = image_folder(tmp_path / "train")
    test = image_folder(tmp_path / "test", per_class=4)
    return quick_config("data.source=folder", f"data.train_dir={train}", f"data.test_dir={test}",
                        "model.num_classes=2", *overrides)


def check_batches(dataset, batch_size: int, classes: int) -> None:
    images, labels = next(iter(dataset))
    assert images.dtype == tf.uint8 and images.shape[1:] == (SIZE, SIZE, 3) and images.shape[0] <= batch_size
    assert labels.dtype == tf.int64 and 0 <= int(tf.reduce_min(labels)) and int(tf.reduce_max(labels)) < classes


def test_folder_source_reads_photos_of_any_shape(quick_config, tmp_path):
    cfg = folder_config(quick_config, tmp_path, "data.validation_split=0.2")
    datasets = load_datasets(cfg, batch_size=4)
    assert datasets.class_names == ["ants", "bees"] and datasets.source == "folder"
    assert datasets.num_train == 16
    assert sum(int(x.shape[0]) for x, _ in datasets.validation) == 4
    assert sum(int(x.shape[0]) for x, _ in datasets.test) == 8
    for dataset in (datasets.train, datasets.validation, datasets.test):
        check_batches(dataset, 4, 2)


def test_test_folder_must_have_the_same_classes(quick_config, tmp_path):
    train = image_folder(tmp_path / "train")
    test = image_folder(tmp_path / "test", classes=("ants", "wasps"), per_class=2)
    cfg = quick_config("data.source=folder", f"data.train_dir={train}", f"data.test_dir={test}", "model.num_classes=2")
    with pytest.raises(DataError, match="classes ants, wasps differ from data.train_dir's ants, bees"):
        load_datasets(cfg, 4)


def test_class_count_must_match_the_model(quick_config, tmp_path):
    cfg = folder_config(quick_config, tmp_path, "model.num_classes=5")
    with pytest.raises(DataError, match=r"found 2 classes \(ants, bees\) but model.num_classes is 5; "
                                        r"set model.num_classes=2"):
        load_datasets(cfg, 4)


def test_folder_problems_are_named(tmp_path):
    with pytest.raises(DataError, match="data.train_dir='.*nowhere': no such folder"):
        scan_folder("data.train_dir", str(tmp_path / "nowhere"))
    flat = tmp_path / "flat"
    write_image(flat / "a.jpg", 10, 10)
    with pytest.raises(DataError, match=r"no class sub-folders \(found 1 files directly in it\)"):
        scan_folder("data.train_dir", str(flat))
    empty_class = image_folder(tmp_path / "empty_class", per_class=2)
    (empty_class / "wasps").mkdir()
    (empty_class / "wasps" / "readme.txt").write_text("no photos yet")
    with pytest.raises(DataError, match="class folder 'wasps' has no images"):
        scan_folder("data.train_dir", str(empty_class))


def test_a_validation_share_that_holds_out_nothing(quick_config, tmp_path):
    cfg = folder_config(quick_config, tmp_path, "data.validation_split=0.01")
    with pytest.raises(DataError, match=r"data.validation_split=0.01: 20 images in data.train_dir='.*' leave none to "
                                        r"hold out; raise it or set it to 0"):
        load_datasets(cfg, 4)


def test_unreadable_images_are_listed_before_training(tmp_path):
    root = image_folder(tmp_path / "train", per_class=2)
    (root / "ants" / "broken.jpg").write_bytes(b"\xff\xd8 this is no jpeg")
    (root / "bees" / "empty.png").write_bytes(b"")
    with pytest.raises(DataError, match=r"2 files cannot be read as images \(.*broken.jpg, .*empty.png\); "
                                        r"remove or replace them"):
        scan_folder("data.train_dir", str(root))


def test_other_files_are_skipped_counted_and_reported(quick_config, tmp_path, capsys):
    cfg = folder_config(quick_config, tmp_path)
    (tmp_path / "train" / "ants" / "notes.txt").write_text("field notes")
    (tmp_path / "train" / "bees" / ".DS_Store").write_bytes(b"\0")
    datasets = load_datasets(cfg, 4)
    assert "data.train_dir: skipped 2 files that are not images (.DS_Store, .txt)" in capsys.readouterr().err
    assert datasets.num_train == 18


def test_real_ants_and_bees_folder_when_present():
    """The real photo folder beside the project, if this checkout has it (../shared/data)."""
    candidates = [parent / "shared/data/images-hymenoptera" for parent in Path(__file__).resolve().parents]
    root = next((p for p in candidates if p.is_dir()), None)
    if root is None:
        pytest.skip("no shared/data/images-hymenoptera next to this checkout")
    assert scan_folder("data.train_dir", str(root / "train")) == (["ants", "bees"], 242)
    assert scan_folder("data.test_dir", str(root / "val")) == (["ants", "bees"], 153)


def test_tfds_source_with_mocked_flowers(quick_config):
    cfg = quick_config("data.source=tfds", "data.tfds_name=tf_flowers", "model.num_classes=5")
    with tfds.testing.mock_data(num_examples=12):
        datasets = load_datasets(cfg, batch_size=4)
        for dataset in (datasets.train, datasets.validation, datasets.test):
            check_batches(dataset, 4, 5)
    assert datasets.class_names == ["dandelion", "daisy", "tulips", "sunflowers", "roses"]
    assert datasets.source == "tfds:tf_flowers"


def test_an_unknown_tfds_name_gets_a_suggestion(quick_config, tmp_path):
    cfg = quick_config("data.source=tfds", "data.tfds_name=tf_flowerz", f"data.data_dir={tmp_path}")
    with pytest.raises(DataError, match=r"data.tfds_name='tf_flowerz': no such tensorflow-datasets set \(did you mean "
                                        r"tf_flowers\?\)"):
        load_datasets(cfg, 4)


def test_tfds_class_count_must_match_the_model(quick_config):
    cfg = quick_config("data.source=tfds", "data.tfds_name=tf_flowers", "model.num_classes=3")
    with tfds.testing.mock_data(num_examples=4), pytest.raises(DataError, match="found 5 classes"):
        load_datasets(cfg, batch_size=4)


def test_auto_falls_back_to_synthetic_when_tfds_is_unavailable(quick_config, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(socket, "create_connection", _refuse)
    cfg = quick_config("data.source=auto", f"data.data_dir={tmp_path / 'empty'}")
    datasets = load_datasets(cfg, 8)
    assert datasets.source == "synthetic" and "network is unreachable" in datasets.fallback_reason
    assert "SYNTHETIC data" in capsys.readouterr().err


def _refuse(*_args, **_kwargs):
    raise OSError("network disabled in this test")


def test_synthetic_is_deterministic_and_covers_every_class(quick_config):
    first, second = synthetic_images(200, SIZE, 4, seed=3), synthetic_images(200, SIZE, 4, seed=3)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    assert first[0].shape == (200, SIZE, SIZE, 3) and first[0].dtype == np.uint8 and len(first[2]) == 40
    assert set(np.unique(first[1])) == {0, 1, 2, 3}
    datasets = load_datasets(quick_config(), 16)
    check_batches(datasets.train, 16, 4)
    assert datasets.class_names == ["class_0", "class_1", "class_2", "class_3"]


def test_read_image_any_photo(tmp_path):
    wide = read_image(write_image(tmp_path / "wide.jpg", 50, 100), (SIZE, SIZE, 3))
    grey = read_image(write_image(tmp_path / "grey.png", 30, 30, channels=1), (SIZE, SIZE, 3))
    rgba = read_image(write_image(tmp_path / "rgba.png", 30, 30, channels=4), (SIZE, SIZE, 3))
    np.save(tmp_path / "array.npy", np.zeros((20, 20), "float32"))
    array = read_image(tmp_path / "array.npy", (SIZE, SIZE, 3))
    for image in (wide, grey, rgba, array):
        assert image.shape == (SIZE, SIZE, 3) and image.dtype == np.float32


def test_read_image_errors(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_image(tmp_path / "missing.jpg", (SIZE, SIZE, 3))
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(DataError, match="unsupported file type '.txt'; expected one of .jpeg, .jpg"):
        read_image(tmp_path / "notes.txt", (SIZE, SIZE, 3))
    (tmp_path / "fake.jpg").write_text("not a jpeg")
    with pytest.raises(DataError, match="fake.jpg: not a readable image"):
        read_image(tmp_path / "fake.jpg", (SIZE, SIZE, 3))
