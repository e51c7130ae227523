"""Images for the GAN as tf.data pipelines: tensorflow-datasets, an `.npz` file, an image folder, or synthetic.

Every source yields (image, label) pairs of uint8 images at `data.image_size` x `data.image_size` x
`data.channels` (resized and converted where needed) and integer labels. The GAN ignores the
labels; the quality classifier (quality.py) learns them, so the spread of generated images over
the classes can be measured. The test split is the real side of the Fréchet distance.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .runtime.data_sources import DataError, Datasets, load_tfds_splits, pipeline, real_or_synthetic
from .runtime.i18n import _
from .runtime.image_folders import as_uint8, scan_folder
from .runtime.npz_files import read_labelled_images

TFDS_CLASSES = {"mnist": [str(digit) for digit in range(10)],
                "fashion_mnist": ["T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
                                  "bag", "ankle boot"]}
SYNTHETIC_CLASSES = 10


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train and test pipelines named by `data.source`, batched by `batch_size` (no validation split:
    nothing here is scored on held-out images while training except the Fréchet distance, on the test split).

    even_batches: every training batch is full (needed with several replicas).
    """
    source = cfg["data"]["source"]
    real = partial(_from_tfds, cfg, batch_size, even_batches)

    def synthetic() -> Datasets:
        arrays = synthetic_images(cfg["data"]["synthetic_examples"], cfg, cfg["seed"])
        return _from_arrays(*arrays, [str(i) for i in range(SYNTHETIC_CLASSES)], cfg, batch_size, even_batches,
                            "synthetic")

    if source == "npz":
        x_train, y_train, x_test, y_test = read_npz(cfg["data"]["npz_path"])
        names = [str(label) for label in range(int(max(y_train.max(), y_test.max())) + 1)]
        return _from_arrays(x_train, y_train, x_test, y_test, names, cfg, batch_size, even_batches, "npz")
    if source == "folder":
        return _from_folder(cfg, batch_size, even_batches)
    return {"tfds": real, "synthetic": synthetic}.get(source, partial(real_or_synthetic, real, synthetic))()


def _fit(cfg: dict):
    """A tf.data map that brings any image to the configured size and number of channels."""
    size, channels = cfg["data"]["image_size"], cfg["data"]["channels"]

    def fit(image, label):
        image = tf.cast(image, tf.float32)
        if image.shape[-1] == 1 and channels == 3:
            image = tf.image.grayscale_to_rgb(image)
        elif image.shape[-1] == 3 and channels == 1:
            image = tf.image.rgb_to_grayscale(image)
        if tuple(image.shape[:2]) != (size, size):
            image = tf.image.resize(image, (size, size), antialias=True)
        return as_uint8(image, label)

    return fit


def _batched(train: tf.data.Dataset, test: tf.data.Dataset, cfg: dict, batch_size: int, even_batches: bool,
             **described) -> Datasets:
    data = cfg["data"]
    return Datasets(
        train=pipeline(train.map(_fit(cfg), num_parallel_calls=tf.data.AUTOTUNE), batch_size,
                       shuffle_buffer=data["shuffle_buffer"], seed=cfg["seed"], drop_remainder=even_batches),
        validation=None,
        test=pipeline(test.map(_fit(cfg), num_parallel_calls=tf.data.AUTOTUNE), batch_size),
        **described,
    )


def _from_tfds(cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    name = cfg["data"]["tfds_name"]
    loaded = load_tfds_splits(name, {"train": "train", "test": "test"}, cfg["data"]["data_dir"])
    train, test = loaded["train"], loaded["test"]
    return _batched(train, test, cfg, batch_size, even_batches, source=f"tfds:{name}",
                    class_names=TFDS_CLASSES[name])


def _from_arrays(x_train, y_train, x_test, y_test, class_names: list[str], cfg: dict, batch_size: int,
                 even_batches: bool, source: str) -> Datasets:
    def dataset(x, y):
        return tf.data.Dataset.from_tensor_slices((x, y))

    return _batched(dataset(x_train, y_train), dataset(x_test, y_test), cfg, batch_size, even_batches,
                    source=source, class_names=class_names, num_train=len(x_train))


def _from_folder(cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    """An image folder with one sub-folder per class; the same images are the real side of the Fréchet distance."""
    folder = cfg["data"]["folder"]
    classes, count = scan_folder("data.folder", folder)
    if len(classes) < 2:
        raise DataError(_("data.folder={folder!r}: found 1 class sub-folder ({name}); the quality classifier needs at "
                          "least 2 classes to tell apart (put the images in sub-folders by kind)").format(
                              folder=folder, name=classes[0]))
    size = cfg["data"]["image_size"]
    images = keras.utils.image_dataset_from_directory(
        Path(folder).expanduser(), labels="inferred", label_mode="int", batch_size=None,
        color_mode="grayscale" if cfg["data"]["channels"] == 1 else "rgb", image_size=(size, size),
        crop_to_aspect_ratio=True, seed=cfg["seed"])
    return _batched(images, images, cfg, batch_size, even_batches, source="folder", class_names=classes,
                    num_train=count)


def read_npz(path: str | Path) -> tuple[np.ndarray, ...]:
    """x_train, y_train, x_test, y_test from a file in Keras's `mnist.npz` layout: images of any size, grey or
    colour, with one integer label each (the quality classifier learns them)."""
    return read_labelled_images(path)


def synthetic_images(num_train: int, cfg: dict, seed: int) -> tuple[np.ndarray, ...]:
    """Learnable stand-in images: each class is a fixed random blot pattern, drawn with a little noise.

    Same for the same seed, so smoke tests run offline and a short run shows the Fréchet distance falling.
    """
    size, channels = cfg["data"]["image_size"], cfg["data"]["channels"]
    rng = np.random.default_rng(seed)
    coarse = rng.random((SYNTHETIC_CLASSES, 7, 7, channels)) < 0.3
    templates = np.kron(coarse, np.ones((1, -(-size // 7), -(-size // 7), 1), bool))[:, :size, :size]

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, SYNTHETIC_CLASSES, count)
        noise = rng.random((count, size, size, channels)) < 0.05
        return (templates[labels] ^ noise).astype(np.uint8) * 255, labels.astype(np.int64)

    return (*draw(num_train), *draw(max(num_train // 5, 1)))
