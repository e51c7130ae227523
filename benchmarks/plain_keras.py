"""The strongest plain Keras for an MNIST project's network: the baseline of benchmarks/run.py.

    .venv/bin/python benchmarks/plain_keras.py PROJECT --npz mnist-5k.npz --epochs 6 --out seconds.json [key=value]

What a careful Keras user writes without the template, for the same network (the project's own
`build_model`, so the layers, the random shifts and the dropout are the same), the same data and
hold-out, batch size, optimizer and validation each epoch: a `tf.data` pipeline with cache,
shuffle, batch and prefetch, `model.fit` with Keras's own progress bar (`verbose=1`, as the
project's `python train.py` shows it) and `jit_compile=True` (Keras turns XLA off by itself for a
model it cannot compile, such as one with random shifts). No checkpoints, backups, logs or CSV:
those are what the project adds, and what it must pay for within its speed. Writes each epoch's
wall time to --out as JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf


class EpochSeconds(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--npz", type=Path, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_intermixed_args()
    sys.path.insert(0, str(args.project / "src"))
    package = next(path.parent.name for path in (args.project / "src").glob("*/schema.py"))
    schema, network, data = (importlib.import_module(f"{package}.{name}") for name in ("schema", "model", "data"))
    cfg = schema.load(args.project / "config.yaml", args.overrides)
    keras.utils.set_random_seed(cfg["seed"])
    batch = cfg["training"]["batch_size"]

    x, y, _, _ = data.read_npz(args.npz)
    order = np.random.default_rng(cfg["seed"]).permutation(len(x))
    x, y = x[order], y[order]
    cut = len(x) - int(len(x) * cfg["data"]["validation_split"])
    train = (tf.data.Dataset.from_tensor_slices((x[:cut], y[:cut])).cache().shuffle(cut, seed=cfg["seed"])
             .batch(batch).prefetch(tf.data.AUTOTUNE))
    validation = tf.data.Dataset.from_tensor_slices((x[cut:], y[cut:])).cache().batch(batch).prefetch(tf.data.AUTOTUNE)

    model = network.build_model(cfg)
    model.compile(optimizer=keras.optimizers.Adam(cfg["training"]["learning_rate"]), loss=network.LOSS,
                  metrics=network.METRICS, jit_compile=True)
    timer = EpochSeconds()
    model.fit(train, validation_data=validation, epochs=args.epochs, verbose=1, callbacks=[timer])
    args.out.write_text(json.dumps({"epoch_seconds": timer.seconds, "num_train": cut,
                                    "jit_compile": bool(model.jit_compile)}))


if __name__ == "__main__":
    main()
