"""The strongest plain Keras for a project's network: the baselines of benchmarks/run.py.

    .venv/bin/python benchmarks/plain_keras.py PROJECT --npz mnist-5k.npz --epochs 8 --shift-in model --out t.json
    .venv/bin/python benchmarks/plain_keras.py PROJECT --epochs 5 --jit auto --out t.json [key=value ...]

What a careful Keras user writes without the template, for the same network, the same data and
hold-out, batch size, optimizer (the project's `make_optimizer`) and validation each epoch, with
Keras's own progress bar (`verbose=1`). No checkpoints, backups, logs or CSV: those are what the
project adds, and what it must pay for within its speed. `--jit` and `--steps-per-execution` default
to Keras's own defaults (`jit_compile="auto"`: off on a machine without a GPU; one step per call);
run.py also gives them the project's values. `--precision` (float32, Keras's default) is the dtype
policy the network computes in; run.py also gives it the one the project chose on this machine
(`training.mixed_precision: auto`: bfloat16 on a CPU with AMX where measured faster). Writes the time
at the end of each epoch to --out as JSON, with what Keras resolved `jit_compile` to.

MNIST projects (`--npz`): the project's `build_model`, with its random shift done by Keras's stock
`RandomTranslation` (same range, bilinear, zero fill) in the model, as the Keras examples do it
(`--shift-in model`; Keras cannot compile that layer with XLA, so it turns XLA off), or on each
batch in the `tf.data` pipeline (`--shift-in pipeline`: `map` after `batch`, in parallel,
prefetched), or not at all (`--shift-in none`); on a `tf.data` pipeline from the arrays with cache,
shuffle, batch and prefetch.

Every other project (no `--npz`): the project's `build_model` (the GAN with its own `train_step`),
compiled as the project compiles it, on the batches its data loader makes for the config, cached
after the first epoch and shuffled batch by batch, then prefetched: the pipeline of the keras-io
text examples (`batch` -> `map` -> `cache` -> `shuffle` -> `prefetch`). Augmentation that the
project does in the model (AlexNet's crop and flip) still runs every step.

Validation each epoch is part of like for like. A GAN has no validation loss: its per-epoch check is
the lesson's own measures (the Fréchet distance on 1,000 generated images and the grid of samples,
as keras-io's DCGAN draws samples after every epoch), run here as the same callbacks
(`--epoch-measures lesson`, the default; `none` leaves them out).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf


class EpochEnds(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.stamps: list[float] = []

    def on_epoch_end(self, epoch, logs=None):
        self.stamps.append(time.time())


def stock_network(model: keras.Model, shift_in: str, seed: int) -> tuple[keras.Model, keras.layers.Layer | None]:
    """The project's network with its RandomShift swapped for Keras's RandomTranslation (in the model), or
    taken out of the model (to run in the pipeline, or not at all); returns the network and the pipeline's layer."""
    shift = None

    def clone(layer):
        nonlocal shift
        if type(layer).__name__ != "RandomShift":
            return layer.__class__.from_config(layer.get_config())
        stock = keras.layers.RandomTranslation(layer.factor, layer.factor, fill_mode="constant",
                                               interpolation="bilinear", seed=seed, name=layer.name)
        if shift_in == "model":
            return stock
        if shift_in == "pipeline":
            shift = stock
        return keras.layers.Identity(name=layer.name)

    return keras.models.clone_model(model, clone_function=clone), shift


def from_arrays(args, cfg: dict, modules: dict) -> tuple[keras.Model, tf.data.Dataset, tf.data.Dataset, int]:
    """An MNIST project's network and pipelines, made from the .npz arrays."""
    batch = cfg["training"]["batch_size"]
    x, y, _, _ = modules["data"].read_npz(args.npz)
    order = np.random.default_rng(cfg["seed"]).permutation(len(x))
    x, y = x[order], y[order]
    cut = len(x) - int(len(x) * cfg["data"]["validation_split"])
    model, shift = stock_network(modules["model"].build_model(cfg), args.shift_in, cfg["seed"])
    train = tf.data.Dataset.from_tensor_slices((x[:cut], y[:cut])).cache().shuffle(cut, seed=cfg["seed"]).batch(batch)
    if shift is not None:
        train = train.map(lambda images, labels: (shift(tf.cast(images, "float32"), training=True), labels),
                          num_parallel_calls=tf.data.AUTOTUNE)
    train = train.prefetch(tf.data.AUTOTUNE)
    validation = tf.data.Dataset.from_tensor_slices((x[cut:], y[cut:])).cache().batch(batch).prefetch(tf.data.AUTOTUNE)
    return model, train, validation, cut


def from_loader(cfg: dict, modules: dict) -> tuple[keras.Model, tf.data.Dataset, tf.data.Dataset | None, int, object]:
    """Any project's network, on the batches of its own loader, cached and shuffled by batch; and the loader's
    datasets (the GAN's measures read its test images)."""
    datasets = modules["data"].load_datasets(cfg, cfg["training"]["batch_size"])
    batches = int(datasets.train.cardinality())  # negative when the loader cannot tell: then a buffer for all
    train = datasets.train.cache().shuffle(batches if batches > 0 else 100_000, seed=cfg["seed"])
    train = train.prefetch(tf.data.AUTOTUNE)
    validation = None if datasets.validation is None else datasets.validation.cache().prefetch(tf.data.AUTOTUNE)
    return modules["model"].build_model(cfg, **datasets.adapted), train, validation, datasets.num_train, datasets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--npz", type=Path, help="an MNIST .npz: the MNIST projects' baseline")
    parser.add_argument("--epochs", type=int, required=True)
    parser.add_argument("--shift-in", choices=("model", "pipeline", "none"), default="model", help="with --npz")
    parser.add_argument("--jit", choices=("auto", "on", "off"), default="auto", help="Keras's default: auto")
    parser.add_argument("--steps-per-execution", type=int, default=1, help="Keras's default is 1")
    parser.add_argument("--precision", choices=("float32", "mixed_bfloat16", "mixed_float16"), default="float32",
                        help="the dtype policy; Keras's default is float32")
    parser.add_argument("--epoch-measures", choices=("lesson", "none"), default="lesson",
                        help="the lesson's per-epoch measures (the GAN's validation), or none")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_intermixed_args()
    sys.path.insert(0, str(args.project / "src"))
    package = next(path.parent.name for path in (args.project / "src").glob("*/schema.py"))
    modules = {name.rpartition(".")[2]: importlib.import_module(f"{package}.{name}")
               for name in ("schema", "model", "data", "lesson", "runtime.devices")}
    cfg = modules["schema"].load(args.project / "config.yaml", args.overrides)
    keras.mixed_precision.set_dtype_policy(args.precision)
    keras.utils.set_random_seed(cfg["seed"])
    if args.npz:
        (model, train, validation, num_train), datasets = from_arrays(args, cfg, modules), None
    else:
        model, train, validation, num_train, datasets = from_loader(cfg, modules)
    # As the project compiles it (its lesson's `compile`: the loss and metrics; the GAN's train_step has its own).
    modules["lesson"].LESSON.compile(model, optimizer=modules["devices"].make_optimizer(cfg),
                                     jit_compile={"auto": "auto", "on": True, "off": False}[args.jit],
                                     steps_per_execution=args.steps_per_execution)
    ends, measures = EpochEnds(), []
    with tempfile.TemporaryDirectory() as folder:  # where the GAN's measures put their classifier and grids
        if args.epoch_measures == "lesson":  # made before the first epoch (the GAN trains its classifier), as there
            measures, _ = modules["lesson"].LESSON.epoch_callbacks(
                cfg, datasets, Path(folder), lambda network, epochs: network.fit(train, epochs=epochs, verbose=0),
                tf.distribute.get_strategy(), True)
        model.fit(train, validation_data=validation, epochs=args.epochs, verbose=1, callbacks=[*measures, ends])
    args.out.write_text(json.dumps({"epoch_ends": ends.stamps, "num_train": num_train,
                                    "jit_compile": bool(model.jit_compile)}))


if __name__ == "__main__":
    main()
