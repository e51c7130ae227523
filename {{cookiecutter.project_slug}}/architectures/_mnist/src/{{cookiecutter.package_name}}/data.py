"""MNIST as tf.data pipelines: from tensorflow-datasets, from an `.npz` file, or synthetic.

Every source yields (image, label) pairs with uint8 images of shape (28, 28, 1) and integer
labels 0-9; the model scales the pixels itself.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import tensorflow as tf

from .architecture import IMAGE_SHAPE, NUM_CLASSES
from .runtime.data_sources import DataError, Datasets, load_tfds_splits, pipeline, real_or_synthetic
from .runtime.i18n import _
from .runtime.npy_images import read_npy_image
from .runtime.npz_files import read_labelled_images

CLASS_NAMES = [str(digit) for digit in range(NUM_CLASSES)]


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train / validation / test pipelines named by `data.source`, batched by `batch_size`.

    even_batches: every training and validation batch is full (needed with several replicas).
    """
    source = cfg["data"]["source"]
    real = partial(_from_tfds, cfg, batch_size, even_batches)

    def synthetic() -> Datasets:
        digits = synthetic_digits(cfg["data"]["synthetic_examples"], cfg["seed"])
        return _from_arrays(*digits, cfg, batch_size, even_batches, source="synthetic")

    if source == "npz":
        return _from_arrays(*read_npz(cfg["data"]["npz_path"]), cfg, batch_size, even_batches, source="npz")
    return {"tfds": real, "synthetic": synthetic}.get(source, partial(real_or_synthetic, real, synthetic))()


def _from_tfds(cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    data = cfg["data"]
    held_out = round(data["validation_split"] * 100)
    splits = {"train": f"train[:{100 - held_out}%]" if held_out else "train",
              "validation": f"train[{100 - held_out}%:]" if held_out else None, "test": "test"}
    loaded = load_tfds_splits(data["tfds_name"], splits, data["data_dir"])
    train, validation, test = loaded["train"], loaded.get("validation"), loaded["test"]
    return Datasets(
        train=pipeline(train, batch_size, shuffle_buffer=data["shuffle_buffer"], seed=cfg["seed"],
                       drop_remainder=even_batches),
        validation=None if validation is None else pipeline(validation, batch_size, drop_remainder=even_batches),
        test=pipeline(test, batch_size),
        source=f"tfds:{data['tfds_name']}",
        class_names=CLASS_NAMES,
    )


def _from_arrays(x_train, y_train, x_test, y_test, cfg: dict, batch_size: int, even_batches: bool,
                 source: str) -> Datasets:
    data = cfg["data"]
    # Shuffle once before holding out, so a file sorted by class still gives a fair validation set.
    order = np.random.default_rng(cfg["seed"]).permutation(len(x_train))
    x_train, y_train = x_train[order], y_train[order]
    held_out = int(len(x_train) * data["validation_split"])
    cut = len(x_train) - held_out
    validation = None
    if held_out:
        validation = pipeline(tf.data.Dataset.from_tensor_slices((x_train[cut:], y_train[cut:])), batch_size,
                              drop_remainder=even_batches)
    train = tf.data.Dataset.from_tensor_slices((x_train[:cut], y_train[:cut]))
    return Datasets(
        train=pipeline(train, batch_size, shuffle_buffer=min(data["shuffle_buffer"], cut), seed=cfg["seed"],
                       drop_remainder=even_batches),
        validation=validation,
        test=pipeline(tf.data.Dataset.from_tensor_slices((x_test, y_test)), batch_size),
        source=source,
        class_names=CLASS_NAMES,
        num_train=cut,
    )


def read_npz(path: str | Path) -> tuple[np.ndarray, ...]:
    """x_train, y_train, x_test, y_test from a file in Keras's `mnist.npz` layout: 28 x 28 grey digits, labels 0-9."""
    return read_labelled_images(path, IMAGE_SHAPE[:2], channels=(1,), num_classes=NUM_CLASSES)


def synthetic_digits(num_train: int, seed: int) -> tuple[np.ndarray, ...]:
    """Learnable stand-in digits: each class is a fixed random stroke pattern plus noise.

    Same shapes and types as MNIST and the same for the same seed, so smoke tests and throughput
    benchmarks run offline and a short run still shows the loss falling.
    """
    rng = np.random.default_rng(seed)
    templates = rng.random((NUM_CLASSES, *IMAGE_SHAPE)) < 0.2

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, NUM_CLASSES, count)
        noise = rng.random((count, *IMAGE_SHAPE)) < 0.1
        images = (templates[labels] ^ noise).astype(np.uint8) * 255
        return images, labels.astype(np.int64)

    return (*draw(num_train), *draw(max(num_train // 5, 1)))


def read_image(path: str | Path, shape: tuple[int, ...] = IMAGE_SHAPE) -> np.ndarray:
    """A PNG or NPY file as an array of `shape` (28, 28, 1) of grey levels 0-255, ready for the model.

    Colour images are turned grey and other sizes resized. MNIST digits are light on dark: a
    dark digit on white paper should be inverted first.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(_("{path}: no such file").format(path=path))
    if path.suffix.lower() == ".npy":
        image = read_npy_image(path)
        if np.issubdtype(image.dtype, np.floating) and image.size and image.max() <= 1.0:
            image = image * 255.0  # an array scaled to 0-1 rather than grey levels
    elif path.suffix.lower() == ".png":
        try:
            image = tf.io.decode_png(tf.io.read_file(str(path))).numpy()
        except tf.errors.InvalidArgumentError:
            raise DataError(_("{path}: not a readable PNG image").format(path=path)) from None
    else:
        raise DataError(_("{path}: unsupported file type {suffix!r}; expected .png or .npy").format(
            path=path, suffix=path.suffix))
    if image.ndim != 3 or image.shape[-1] not in (1, 2, 3, 4):
        raise DataError(_("{path}: image has shape {shape}; expected (height, width) or (height, width, "
                          "channels)").format(path=path, shape=image.shape))
    image = tf.convert_to_tensor(image[..., :3] if image.shape[-1] in (3, 4) else image[..., :1], tf.float32)
    if image.shape[-1] == 3:
        image = tf.image.rgb_to_grayscale(image)
    if tuple(image.shape[:2]) != tuple(shape[:2]):
        image = tf.image.resize(image, shape[:2], antialias=True)
    return image.numpy()
