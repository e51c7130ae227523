"""Photos as tf.data pipelines: your own image folders, a tensorflow-datasets image set, or synthetic.

Every source yields (image, label) pairs: uint8 RGB images of input_size x input_size (photos are
cut to a square around their centre, then resized) and integer labels 0 .. num_classes - 1. The
random crops, flips and the scaling of pixel values happen inside the model, so the saved model
does the same to a photo at prediction time as it did in training.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .runtime.data_sources import DataError, Datasets, load_tfds_splits, pipeline, real_or_synthetic
from .runtime.i18n import _
from .runtime.image_folders import IMAGE_EXTENSIONS, as_uint8, scan_folder
from .runtime.npy_images import read_npy_image


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train / validation / test pipelines named by `data.source`, batched by `batch_size`.

    even_batches: every training and validation batch is full (needed with several replicas).
    """
    source = cfg["data"]["source"]
    real = partial(_from_tfds, cfg, batch_size, even_batches)
    synthetic = partial(_from_synthetic, cfg, batch_size, even_batches)
    if source == "folder":
        return _from_folders(cfg, batch_size, even_batches)
    return {"tfds": real, "synthetic": synthetic}.get(source, partial(real_or_synthetic, real, synthetic))()


def _check_class_count(setting: str, where: str, classes: list[str], cfg: dict) -> None:
    wanted = cfg["model"]["num_classes"]
    if len(classes) != wanted:
        shown = ", ".join(classes[:10]) + (" ..." if len(classes) > 10 else "")
        raise DataError(_("{setting}={where!r}: found {count} classes ({shown}) but model.num_classes is {wanted}; set "
                          "model.num_classes={count}").format(setting=setting, where=where, count=len(classes),
                                                              shown=shown, wanted=wanted))


def _from_folders(cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    data, size = cfg["data"], cfg["model"]["input_size"]
    classes, count = scan_folder("data.train_dir", data["train_dir"])
    _check_class_count("data.train_dir", data["train_dir"], classes, cfg)
    if data["validation_split"] and int(count * data["validation_split"]) == 0:
        raise DataError(_("data.validation_split={share}: {count} images in data.train_dir={folder!r} leave none to "
                          "hold out; raise it or set it to 0").format(share=data["validation_split"], count=count,
                                                                      folder=data["train_dir"]))
    test_classes = scan_folder("data.test_dir", data["test_dir"])[0]
    if test_classes != classes:
        raise DataError(_("data.test_dir={folder!r}: classes {test_classes} differ from data.train_dir's "
                          "{train_classes}; both need the same class sub-folders").format(
                              folder=data["test_dir"], test_classes=", ".join(test_classes),
                              train_classes=", ".join(classes)))

    def read(folder: str, **options) -> tf.data.Dataset:
        return keras.utils.image_dataset_from_directory(
            Path(folder).expanduser(), labels="inferred", label_mode="int", color_mode="rgb", batch_size=None,
            image_size=(size, size), crop_to_aspect_ratio=True, seed=cfg["seed"], **options)

    if data["validation_split"]:
        train, validation = read(data["train_dir"], validation_split=data["validation_split"], subset="both")
        validation = pipeline(validation.map(as_uint8), batch_size, drop_remainder=even_batches)
    else:
        train, validation = read(data["train_dir"]), None
    num_train = int(train.cardinality())
    return Datasets(
        train=pipeline(train.map(as_uint8), batch_size, shuffle_buffer=min(data["shuffle_buffer"], num_train),
                       seed=cfg["seed"], drop_remainder=even_batches),
        validation=validation,
        test=pipeline(read(data["test_dir"], shuffle=False).map(as_uint8), batch_size),
        source="folder",
        class_names=classes,
        num_train=num_train,
    )


def _from_tfds(cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    import tensorflow_datasets as tfds

    data, size = cfg["data"], cfg["model"]["input_size"]
    loaded = load_tfds_splits(data["tfds_name"], data["tfds_splits"], data["data_dir"])
    classes = list(tfds.builder(data["tfds_name"], data_dir=data["data_dir"]).info.features["label"].names)
    _check_class_count("data.tfds_name", data["tfds_name"], classes, cfg)
    resize = keras.layers.Resizing(size, size, crop_to_aspect_ratio=True)

    def prepare(image, label):
        image = tf.image.grayscale_to_rgb(image) if image.shape[-1] == 1 else image
        return as_uint8(resize(tf.cast(image, tf.float32)), label)

    def batched(role: str, **options) -> tf.data.Dataset | None:
        if role not in loaded:
            return None
        return pipeline(loaded[role].map(prepare, num_parallel_calls=tf.data.AUTOTUNE), batch_size, **options)

    return Datasets(
        train=batched("train", shuffle_buffer=data["shuffle_buffer"], seed=cfg["seed"], drop_remainder=even_batches),
        validation=batched("validation", drop_remainder=even_batches),
        test=batched("test"),
        source=f"tfds:{data['tfds_name']}",
        class_names=classes,
    )


def synthetic_images(num_train: int, size: int, num_classes: int, seed: int) -> tuple[np.ndarray, ...]:
    """Learnable stand-in photos: each class a fixed, blocky random colour pattern plus noise.

    The right shapes and types, the same for the same seed, and easy enough that a short run shows
    the loss falling: for smoke tests and throughput benchmarks without a download.
    """
    rng = np.random.default_rng(seed)
    patterns = rng.integers(0, 256, (num_classes, 4, 4, 3)).astype("float32")
    patterns = tf.image.resize(patterns, (size, size), method="nearest").numpy()

    def draw(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, num_classes, count)
        noise = rng.normal(0, 40, (count, size, size, 3)).astype("float32")
        return np.clip(patterns[labels] + noise, 0, 255).astype(np.uint8), labels.astype(np.int64)

    return (*draw(num_train), *draw(max(num_train // 5, 1)))


def _from_synthetic(cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    data, model = cfg["data"], cfg["model"]
    x_train, y_train, x_test, y_test = synthetic_images(data["synthetic_examples"], model["input_size"],
                                                        model["num_classes"], cfg["seed"])
    cut = len(x_train) - int(len(x_train) * data["validation_split"])
    validation = None
    if cut < len(x_train):
        validation = pipeline(tf.data.Dataset.from_tensor_slices((x_train[cut:], y_train[cut:])), batch_size,
                              drop_remainder=even_batches)
    return Datasets(
        train=pipeline(tf.data.Dataset.from_tensor_slices((x_train[:cut], y_train[:cut])), batch_size,
                       shuffle_buffer=min(data["shuffle_buffer"], cut), seed=cfg["seed"], drop_remainder=even_batches),
        validation=validation,
        test=pipeline(tf.data.Dataset.from_tensor_slices((x_test, y_test)), batch_size),
        source="synthetic",
        class_names=[f"class_{index}" for index in range(model["num_classes"])],
        num_train=cut,
    )


def read_image(path: str | Path, shape: tuple[int, ...]) -> np.ndarray:
    """An image file as a float32 array of `shape` (height, width, 3), 0-255, cut and resized as in training."""
    path = Path(path)
    if not path.is_file():
        raise DataError(_("{path}: no such file").format(path=path))
    suffix = path.suffix.lower()
    if suffix == ".npy":
        image = read_npy_image(path)
        if image.ndim != 3 or image.shape[-1] not in (1, 3, 4):
            raise DataError(_("{path}: array has shape {shape}; expected (height, width) or (height, width, 1, 3 or "
                              "4)").format(path=path, shape=image.shape))
        image = tf.convert_to_tensor(image[..., :3] if image.shape[-1] == 4 else image, tf.float32)
        image = tf.image.grayscale_to_rgb(image) if image.shape[-1] == 1 else image
    elif suffix in IMAGE_EXTENSIONS:
        try:
            image = tf.io.decode_image(tf.io.read_file(str(path)), channels=3, expand_animations=False)
        except tf.errors.OpError:
            raise DataError(_("{path}: not a readable image").format(path=path)) from None
    else:
        raise DataError(_("{path}: unsupported file type {suffix!r}; expected one of {allowed}").format(
            path=path, suffix=suffix, allowed=", ".join((*IMAGE_EXTENSIONS, ".npy"))))
    resize = keras.layers.Resizing(shape[0], shape[1], crop_to_aspect_ratio=True)
    return np.asarray(resize(tf.cast(image, tf.float32)))
