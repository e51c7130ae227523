"""The stand-in: the smallest lesson that keeps the whole contract, for testing the runtime once.

A one-hidden-layer classifier of 28 x 28 grey digits (synthetic, or MNIST from tensorflow-datasets), with
the optional hooks of runtime/lesson.py that change a run's course used, so that the runtime's suite reaches
them: its own `predict` command, a pre-training phase (its hidden layer trained first in a helper network)
and a per-epoch callback that adds a value to the logs.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import schema
from .runtime.classify import ClassifyImages
from .runtime.confusion_matrix import count_confusions, plot_confusion_matrix
from .runtime.data_sources import DataError, Datasets, load_tfds_splits, pipeline, real_or_synthetic
from .runtime.lesson import Lesson
from .runtime.npy_images import read_npy_image
from .runtime.shapes import LayerRow, dense_params

IMAGE_SHAPE, NUM_CLASSES = (28, 28, 1), 10
CLASS_NAMES = [str(digit) for digit in range(NUM_CLASSES)]


def synthetic_digits(count: int, seed: int) -> tuple[np.ndarray, ...]:
    """Each class a fixed random pattern plus noise: learnable in a few epochs, the same for the same seed."""
    rng = np.random.default_rng(seed)
    templates = rng.random((NUM_CLASSES, *IMAGE_SHAPE)) < 0.2

    def draw(n: int) -> tuple[np.ndarray, np.ndarray]:
        labels = rng.integers(0, NUM_CLASSES, n)
        return ((templates[labels] ^ (rng.random((n, *IMAGE_SHAPE)) < 0.1)).astype(np.uint8) * 255,
                labels.astype(np.int64))

    return (*draw(count), *draw(max(count // 5, 1)))


def read_image(path: str | Path, shape: tuple[int, ...]) -> np.ndarray:
    """A .npy image at the size the model takes."""
    path = Path(path)
    if path.suffix.lower() != ".npy" or not path.is_file():
        raise DataError(f"{path}: expected an existing .npy file")
    return tf.image.resize(tf.cast(read_npy_image(path), tf.float32), shape[:2]).numpy()


class WeightSize(keras.callbacks.Callback):
    """Per epoch: the size of the hidden layer's weights, added to the logs (history.csv shows it)."""

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["hidden_weight_size"] = float(np.abs(self.model.get_layer("hidden").kernel.numpy()).mean())


class StandIn(Lesson):
    name = schema.ARCHITECTURE
    command = ClassifyImages(read_image)
    evaluation_artifacts = ("confusion_matrix.png",)

    def settings(self, path, overrides=()):
        return schema.load(path, overrides)

    def data(self, cfg, global_batch, even_batches=False):
        data = cfg["data"]

        def batched(train, validation, test, source, num_train=None):
            return Datasets(train=pipeline(train, global_batch, shuffle_buffer=data["shuffle_buffer"],
                                           seed=cfg["seed"], drop_remainder=even_batches),
                            validation=None if validation is None else pipeline(validation, global_batch,
                                                                                drop_remainder=even_batches),
                            test=pipeline(test, global_batch), source=source, class_names=CLASS_NAMES,
                            num_train=num_train)

        def real():
            held = round(data["validation_split"] * 100)
            splits = load_tfds_splits(data["tfds_name"], {"train": f"train[:{100 - held}%]",
                                                          "validation": f"train[{100 - held}%:]", "test": "test"},
                                      data["data_dir"])
            return batched(splits["train"], splits["validation"], splits["test"], f"tfds:{data['tfds_name']}")

        def synthetic():
            x, y, x_test, y_test = synthetic_digits(data["synthetic_examples"], cfg["seed"])
            cut = len(x) - int(len(x) * data["validation_split"])
            pairs = partial(tf.data.Dataset.from_tensor_slices)
            return batched(pairs((x[:cut], y[:cut])), pairs((x[cut:], y[cut:])) if cut < len(x) else None,
                           pairs((x_test, y_test)), "synthetic", num_train=cut)

        return {"tfds": real, "synthetic": synthetic}.get(data["source"], partial(real_or_synthetic, real, synthetic))()

    def model(self, cfg, **adapted):
        inputs = keras.Input(IMAGE_SHAPE, name="image")
        x = keras.layers.Flatten()(keras.layers.Rescaling(1 / 255)(inputs))
        x = keras.layers.Dense(cfg["model"]["hidden_units"], activation="relu", name="hidden")(x)
        x = keras.layers.Dropout(cfg["model"]["dropout"], seed=cfg["seed"])(x)
        outputs = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output", dtype="float32")(x)
        return keras.Model(inputs, outputs, name="standin")

    def compile(self, network, **options):
        network.compile(loss="sparse_categorical_crossentropy", metrics=["accuracy"], **options)

    def evaluate(self, network, datasets, run_dir, cfg):
        labels, probabilities = [], []
        for images, batch_labels in datasets.test:
            probabilities.append(np.asarray(network.predict_on_batch(images)))
            labels.append(batch_labels.numpy())
        labels, probabilities = np.concatenate(labels), np.concatenate(probabilities)
        matrix = count_confusions(labels, probabilities.argmax(-1), NUM_CLASSES)
        plot_confusion_matrix(matrix, CLASS_NAMES, run_dir / "confusion_matrix.png")
        return {"examples": int(len(labels)), "accuracy": float(np.trace(matrix) / len(labels))}

    def layer_plan(self, cfg):
        units, pixels = cfg["model"]["hidden_units"], int(np.prod(IMAGE_SHAPE))
        return [LayerRow("input", IMAGE_SHAPE, 0, "28 x 28 grey levels"),
                LayerRow("hidden", (units,), dense_params(pixels, units), f"({pixels} + 1) x {units}"),
                LayerRow("output", (NUM_CLASSES,), dense_params(units, NUM_CLASSES), f"({units} + 1) x 10")]

    def pretrain(self, network, cfg, strategy, fit, run_dir):
        epochs = cfg["model"]["pretrain_epochs"]
        if not epochs:
            return {}
        # Two phases, the second starting where the first ended, as a DBN's RBMs build on the ones below: named,
        # so that a run killed in the second restores the first (runtime's PhaseBackup).
        report, hidden = {}, None
        for phase in ("helper_1", "helper_2"):
            with strategy.scope():
                helper = self.model(cfg)
                self.compile(helper, optimizer=keras.optimizers.Adam(cfg["training"]["learning_rate"]))
            if hidden is not None:
                helper.get_layer("hidden").set_weights(hidden)
            history = fit(helper, epochs, name=phase)
            hidden = helper.get_layer("hidden").get_weights()
            report[phase] = [float(value) for value in history["loss"]]
        network.get_layer("hidden").set_weights(hidden)
        return {"pretraining": report}

    def epoch_callbacks(self, cfg, datasets, run_dir, fit, strategy, is_chief):
        return [WeightSize()], {"logged_each_epoch": "hidden_weight_size"}


LESSON = StandIn()
