"""AlexNet (Krizhevsky, Sutskever & Hinton 2012) with the settings of `config.yaml`.

Images enter as 0-255 RGB at `input_size`; the model crops, flips and scales them itself, so a
saved `model.keras` takes a resized photo as it is and does the same thing at every prediction.
"""

from __future__ import annotations

import keras

from .architecture import CHANNELS, CONVOLUTIONS, NORMALIZED_AFTER, POOL, POOL_STRIDE, POOLED_AFTER
from .layers import LocalResponseNormalization, RandomOrCentreCrop


def build_model(cfg: dict) -> keras.Model:
    settings, seed = cfg["model"], cfg["seed"]
    towers, lrn = settings["towers"], settings["lrn"]
    inputs = keras.Input(shape=(settings["input_size"], settings["input_size"], CHANNELS), name="image")
    # The paper's augmentation: a random 227x227 window of the 256x256 image and its mirror image
    # multiply the training set 2048-fold and were its main defence against over-fitting.
    x = RandomOrCentreCrop(settings["crop_size"], seed=seed, name="crop")(inputs)
    if settings["flip"]:
        x = keras.layers.RandomFlip("horizontal", seed=seed, name="flip")(x)
    x = keras.layers.Rescaling(1.0 / 127.5, offset=-1.0, name="scale")(x)
    for (name, kernel, stride, _padding, grouped), filters in zip(CONVOLUTIONS, settings["conv_filters"], strict=True):
        # Keras's "same" padding is the paper's 2 for 5x5 and 1 for 3x3 windows at stride 1.
        padding = "valid" if stride > 1 else "same"
        x = keras.layers.Conv2D(filters, kernel, strides=stride, padding=padding, groups=towers if grouped else 1,
                                activation="relu", name=name)(x)
        if name in POOLED_AFTER:
            pool = POOLED_AFTER[name]
            # Overlapping pooling (3x3 windows every 2 pixels) cut the paper's error by 0.3-0.4 %.
            x = keras.layers.MaxPooling2D(POOL, strides=POOL_STRIDE, name=pool)(x)
            if pool in NORMALIZED_AFTER:
                x = LocalResponseNormalization(lrn["depth"], lrn["k"], lrn["alpha"], lrn["beta"], groups=towers,
                                               name=NORMALIZED_AFTER[pool])(x)
    x = keras.layers.Flatten(name="flatten")(x)
    for index, units in enumerate(settings["dense_units"], start=6):
        x = keras.layers.Dense(units, activation="relu", name=f"fc{index}")(x)
        if settings["dropout"] > 0:
            # Dropout in the first two dense layers: without it the paper's net over-fitted badly.
            x = keras.layers.Dropout(settings["dropout"], seed=seed, name=f"dropout{index}")(x)
    # float32 even under mixed precision (training.mixed_precision): a float16 softmax loses small probabilities.
    outputs = keras.layers.Dense(settings["num_classes"], activation="softmax", name="output", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="alexnet")


# Labels are integers, so the sparse form of cross-entropy compares them with the probabilities.
LOSS = "sparse_categorical_crossentropy"
METRICS = ["accuracy"]
