"""Data plumbing every project shares: tf.data pipelines, tensorflow-datasets without the wait,
and the `auto` source's fallback to synthetic data, which is announced and recorded, never silent.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import tensorflow as tf

from .errors import UserError
from .i18n import _
from .values import suggestion


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
             seed: int | None = None, drop_remainder: bool = False, padded: bool = False) -> tf.data.Dataset:
    """cache -> shuffle (a new order every epoch, drawn from the seed and the epoch number) -> batch -> prefetch.

    Caching after the first pass means decoding and converting happen once, not every epoch;
    prefetching lets the input for the next step be prepared while the current one trains.
    The order of an epoch depends on its number (`training_epoch()`, set by training at the start of
    each epoch), not on how many passes this process has made, so a run resumed at epoch 5 sees the
    same order there as a run that was never interrupted.
    `drop_remainder` leaves out the last, smaller batch: with several replicas Keras's `fit`
    fails on a batch that does not split evenly between them. `padded` pads sequences of different
    lengths with 0 up to the longest of their batch.
    """
    dataset = dataset.cache()
    if shuffle_buffer:
        cached, size, epoch = dataset, dataset.cardinality(), training_epoch()

        def epoch_order(_):
            return cached.shuffle(shuffle_buffer, seed=(seed or 0) + 1_000_003 * epoch.read_value())

        dataset = tf.data.Dataset.from_tensors(0).flat_map(epoch_order)
        if size >= 0:  # flat_map hides the size, which progress bars and step counts need
            dataset = dataset.apply(tf.data.experimental.assert_cardinality(size))
    batch = dataset.padded_batch if padded else dataset.batch
    dataset = batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)
    if shuffle_buffer:
        # tf.data's autotuning, re-planning around the flat_map, stalled some epochs' first batch for 2-6 s
        # (measured on the sentiment network: 2 of 5 epochs; none in 10 with it off). After the first epoch every
        # stage here is a copy from memory, which needs no tuning.
        options = tf.data.Options()
        options.autotune.enabled = False
        dataset = dataset.with_options(options)
    return dataset


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
        raise DataError(_("data.tfds_name={name!r}: no such tensorflow-datasets set{hint}").format(
            name=name, hint=suggestion(name, known))) from None
    where = data_dir or "~/tensorflow_datasets"
    if not network_reachable():
        raise DataError(_("data.source=tfds: dataset {name!r} is not in {where} and the network is unreachable; "
                          "download it once on a connected machine, or set data.source to npz, synthetic or "
                          "auto").format(name=name, where=where))
    return tfds.load(name, split=splits, data_dir=data_dir, download=True, as_supervised=True)


def load_tfds_splits(name: str, splits: dict[str, str | None], data_dir: str | None) -> dict[str, tf.data.Dataset]:
    """The tfds splits of `splits` (role -> split name, such as {"train": "train[:90%]", "test": "test"}), by role;
    a role whose split is None is left out."""
    roles = [role for role, split in splits.items() if split is not None]
    loaded = load_tfds(name, [splits[role] for role in roles], data_dir)
    return dict(zip(roles, loaded, strict=True))


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
    lines = [_("data.source=auto: the real dataset is unavailable, so this run uses SYNTHETIC data."),
             _("Reason: {reason}").format(reason=reason),
             _("Its accuracy says nothing about the real task; metrics.json records this.")]
    print("\n".join(["", bar, *(f"!! {line}" for line in lines), bar, ""]), file=sys.stderr, flush=True)
