"""Data plumbing every project shares: tf.data pipelines, tensorflow-datasets without the wait,
and the `auto` source's fallback to synthetic data, which is announced and recorded, never silent.
"""

from __future__ import annotations

import difflib
import socket
import sys
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import tensorflow as tf

from .config import UserError

# The file types keras.utils.image_dataset_from_directory reads; it ignores all others.
IMAGE_EXTENSIONS = (".jpeg", ".jpg", ".png", ".bmp", ".gif")



class DataError(UserError):
    """The data cannot be used; the message names the setting or file, what was found and what is needed."""


@dataclass
class Datasets:
    """Batched pipelines ready for `fit`, and a record of where the examples came from."""

    train: tf.data.Dataset
    validation: tf.data.Dataset | None
    test: tf.data.Dataset
    source: str
    class_names: list[str]
    num_train: int | None = None
    fallback_reason: str | None = None
    # What the model learns from the training data before training (text vocabularies), passed to build_model.
    adapted: dict = field(default_factory=dict)

    def describe(self) -> dict:
        return {"source": self.source, "num_train": self.num_train, "fallback_reason": self.fallback_reason}


def pipeline(dataset: tf.data.Dataset, batch_size: int, *, shuffle_buffer: int | None = None,
             seed: int | None = None, drop_remainder: bool = False) -> tf.data.Dataset:
    """cache -> shuffle (a new order every epoch, drawn from the seed and the epoch number) -> batch -> prefetch.

    Caching after the first pass means decoding and converting happen once, not every epoch;
    prefetching lets the input for the next step be prepared while the current one trains.
    The order of an epoch depends on its number (`training_epoch()`, set by training at the start of
    each epoch), not on how many passes this process has made, so a run resumed at epoch 5 sees the
    same order there as a run that was never interrupted.
    `drop_remainder` leaves out the last, smaller batch: with several replicas Keras's `fit`
    fails on a batch that does not split evenly between them.
    """
    dataset = dataset.cache()
    if shuffle_buffer:
        cached, size, epoch = dataset, dataset.cardinality(), training_epoch()

        def epoch_order(_):
            return cached.shuffle(shuffle_buffer, seed=(seed or 0) + 1_000_003 * epoch.read_value())

        dataset = tf.data.Dataset.from_tensors(0).flat_map(epoch_order)
        if size >= 0:  # flat_map hides the size, which progress bars and step counts need
            dataset = dataset.apply(tf.data.experimental.assert_cardinality(size))
    return dataset.batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)


_EPOCH: list[tf.Variable] = []


def training_epoch() -> tf.Variable:
    """The number of the epoch being trained, which the shuffled pipelines read.

    Made on first use, not at import: a variable starts TensorFlow's runtime, after which the CPU
    can no longer be split into devices.
    """
    if not _EPOCH:
        _EPOCH.append(tf.Variable(0, dtype=tf.int64, trainable=False, name="training_epoch"))
    return _EPOCH[0]


def network_reachable(host: str = "storage.googleapis.com", port: int = 443, timeout: float = 3.0) -> bool:
    """Whether `host` answers within `timeout` seconds.

    tensorflow-datasets itself retries an unreachable download for minutes; asking first turns that
    wait into a clear message. The lookup runs in a thread because name resolution ignores socket
    time-outs on some systems.
    """
    answer: list[bool] = []

    def connect() -> None:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            answer.append(True)
        except OSError:
            answer.append(False)

    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(timeout + 1)
    return bool(answer and answer[0])


def load_tfds(name: str, splits: list[str], data_dir: str | None) -> list[tf.data.Dataset]:
    """`tfds.load` with `as_supervised=True`, downloading only when the copy on disk is missing
    and the network is there; otherwise a DataError saying what to do instead."""
    import tensorflow_datasets as tfds

    try:
        return tfds.load(name, split=splits, data_dir=data_dir, download=False, as_supervised=True)
    except AssertionError:  # tensorflow-datasets' way of saying "not prepared in data_dir"
        pass
    except tfds.core.registered.DatasetNotFoundError:
        known = tfds.list_builders(with_community_datasets=False)
        hint = difflib.get_close_matches(name, known, n=1)
        raise DataError(f"data.tfds_name={name!r}: no such tensorflow-datasets set"
                        + (f" (did you mean {hint[0]}?)" if hint else "")) from None
    where = data_dir or "~/tensorflow_datasets"
    if not network_reachable():
        raise DataError(f"data.source=tfds: dataset {name!r} is not in {where} and the network is unreachable; "
                        f"download it once on a connected machine, or set data.source to npz, synthetic or auto")
    return tfds.load(name, split=splits, data_dir=data_dir, download=True, as_supervised=True)


def load_tfds_splits(data: dict) -> dict[str, tf.data.Dataset]:
    """The tfds splits named in `data.tfds_splits`, by role (train, validation, test); a null role is left out."""
    roles = [role for role in ("train", "validation", "test") if data["tfds_splits"][role] is not None]
    splits = load_tfds(data["tfds_name"], [data["tfds_splits"][role] for role in roles], data["data_dir"])
    return dict(zip(roles, splits, strict=True))


def read_npy_image(path: Path) -> np.ndarray:
    """An image saved with `np.save`, as (height, width, channels): a 2-D array gets one channel."""
    try:
        image = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        raise DataError(f"{path}: not a readable .npy file ({error})") from None
    return image[..., np.newaxis] if image.ndim == 2 else image


NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def read_npz_arrays(path: Path) -> dict[str, np.ndarray]:
    """The four arrays of a file in Keras's `mnist.npz` layout (data.npz_path), unchecked beyond being there."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [key for key in NPZ_KEYS if key not in archive.files]
            if missing:
                raise DataError(f"data.npz_path={str(path)!r}: missing arrays {', '.join(missing)}; "
                                f"expected {', '.join(NPZ_KEYS)} (Keras's mnist.npz layout)")
            return {key: archive[key] for key in NPZ_KEYS}
    except DataError:
        raise
    # A file cut short (an interrupted download or copy) fails in zipfile or zlib, as it is opened or read.
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise DataError(f"data.npz_path={str(path)!r}: cannot read it as an .npz file ({error}); it may be cut "
                        f"short or not an .npz at all: copy it again") from None


def real_or_synthetic(load_real: Callable[[], Datasets], load_synthetic: Callable[[], Datasets]) -> Datasets:
    """The `auto` source: the real data if it can be had, else synthetic data, announced and recorded."""
    try:
        return load_real()
    except DataError as error:
        announce_fallback(str(error))
        datasets = load_synthetic()
        datasets.fallback_reason = str(error)
        return datasets


def announce_fallback(reason: str) -> None:
    """Print the fallback so nobody mistakes synthetic numbers for real ones."""
    bar = "!" * 78
    print(f"\n{bar}\n!! data.source=auto: the real dataset is unavailable, so this run uses SYNTHETIC data.\n"
          f"!! Reason: {reason}\n!! Its accuracy says nothing about the real task; metrics.json records this.\n{bar}\n",
          file=sys.stderr, flush=True)


def read_utf8(path: Path, setting: str) -> str:
    """A text file's contents; a file that is not UTF-8 is refused with the line of its first bad byte."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is not part of the text
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataError(f"{setting}={str(path)!r}: not UTF-8 text (byte {raw[error.start]:#04x} on line {line}); "
                        f"save the file as UTF-8") from None


def hold_out(examples: list, share: float, seed: int) -> tuple[list, list]:
    """Shuffle a list with `seed` and split off the last `share` of it (for validation)."""
    order = np.random.default_rng(seed).permutation(len(examples))
    shuffled = [examples[i] for i in order]
    cut = len(shuffled) - int(len(shuffled) * share)
    return shuffled[:cut], shuffled[cut:]


def scan_folder(setting: str, folder: str) -> tuple[list[str], int]:
    """The class names and image count of an image folder, after checking every file Keras would read.

    Keras stops with a TensorFlow error deep inside training at the first file it cannot decode,
    so each image is decoded once here and every problem is reported by name before training.
    """
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(f"{setting}={folder!r}: no such folder")
    classes = sorted(path.name for path in root.iterdir() if path.is_dir() and not path.name.startswith("."))
    if not classes:
        loose = sum(1 for path in root.iterdir() if path.is_file())
        raise DataError(f"{setting}={folder!r}: no class sub-folders (found {loose} files directly in it); expected "
                        f"{folder}/<class name>/<images>, one sub-folder per class")
    unreadable, skipped, count = [], Counter(), 0
    for name in classes:
        files = sorted(path for path in (root / name).rglob("*") if path.is_file())
        images = [path for path in files if path.suffix.lower() in IMAGE_EXTENSIONS]
        skipped.update(path.suffix.lower() or path.name for path in files if path not in images)
        if not images:
            raise DataError(f"{setting}={folder!r}: class folder {name!r} has no images "
                            f"({', '.join(IMAGE_EXTENSIONS)}); add some or remove the folder")
        count += len(images)
        for path in images:
            try:
                tf.io.decode_image(tf.io.read_file(str(path)), channels=3, expand_animations=False)
            except tf.errors.OpError:
                unreadable.append(path)
    if unreadable:
        shown = ", ".join(str(path) for path in unreadable[:3]) + (" ..." if len(unreadable) > 3 else "")
        raise DataError(f"{setting}={folder!r}: {len(unreadable)} files cannot be read as images ({shown}); "
                        f"remove or replace them")
    if skipped:
        print(f"note: {setting}: skipped {sum(skipped.values())} files that are not images "
              f"({', '.join(sorted(skipped))})", file=sys.stderr)
    return classes, count


def as_uint8(images, labels):
    """Decoded image pixels (floats) back to grey levels 0-255, and labels as int64."""
    return tf.cast(tf.clip_by_value(tf.round(images), 0, 255), tf.uint8), tf.cast(labels, tf.int64)
