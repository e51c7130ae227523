"""LeNet-5 in its two variants: `classic`, as the 1998 paper built it, and `modern`, as it is built today.

Pixels enter as 0-255 grey levels; the model pads, scales and (while training) shifts them itself,
so a saved `model.keras` takes an image as it comes from a file.
"""

from __future__ import annotations

import keras

from .architecture import (
    C1_MAPS,
    C3_MAPS,
    C3_TABLE,
    C5_UNITS,
    F6_UNITS,
    IMAGE_SHAPE,
    KERNEL,
    NUM_CLASSES,
    PADDING,
    POOL,
)
from .layers import PartiallyConnectedConv2D, Subsampling, scaled_tanh
from .random_shift import RandomShift


def build_model(cfg: dict) -> keras.Model:
    settings = cfg["model"]
    classic = settings["variant"] == "classic"
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    x = inputs
    if settings["augment_shift"] > 0:
        x = RandomShift(settings["augment_shift"], seed=cfg["seed"], name="shift")(x)
    x = keras.layers.ZeroPadding2D(PADDING, name="pad")(x)
    if classic:
        # The paper's input scaling: background -0.1, ink 1.175, so the inputs have mean about 0
        # and variance about 1 and the tanh units start where their slope is steepest.
        x = keras.layers.Rescaling(1.275 / 255, offset=-0.1, name="scale")(x)
    else:
        x = keras.layers.Rescaling(1.0 / 255, name="scale")(x)
    return keras.Model(inputs, _classic(x, settings) if classic else _modern(x, settings), name="lenet5")


def _classic(x, settings: dict):
    # LeCun's uniform initialization keeps each tanh unit's input near unit variance.
    init = "lecun_uniform"
    x = keras.layers.Conv2D(C1_MAPS, KERNEL, kernel_initializer=init, name="C1")(x)
    x = keras.layers.Activation(scaled_tanh, name="C1_tanh")(x)
    x = Subsampling(POOL, name="S2")(x)
    x = keras.layers.Activation(scaled_tanh, name="S2_tanh")(x)
    x = PartiallyConnectedConv2D(C3_TABLE, KERNEL, name="C3")(x)
    x = keras.layers.Activation(scaled_tanh, name="C3_tanh")(x)
    x = Subsampling(POOL, name="S4")(x)
    x = keras.layers.Activation(scaled_tanh, name="S4_tanh")(x)
    x = keras.layers.Conv2D(C5_UNITS, KERNEL, kernel_initializer=init, name="C5")(x)
    x = keras.layers.Activation(scaled_tanh, name="C5_tanh")(x)
    return _head(x, settings, scaled_tanh, init)


def _modern(x, settings: dict):
    # He's initialization keeps the signal's size through ReLUs, which zero about half their inputs.
    init = "he_uniform"
    x = keras.layers.Conv2D(C1_MAPS, KERNEL, activation="relu", kernel_initializer=init, name="C1")(x)
    # Max-pooling keeps each window's strongest response; average pooling (the notes' other kind) blurs it.
    pool = keras.layers.MaxPooling2D if settings["pooling"] == "max" else keras.layers.AveragePooling2D
    x = pool(POOL, name="S2")(x)
    x = keras.layers.Conv2D(C3_MAPS, KERNEL, activation="relu", kernel_initializer=init, name="C3")(x)
    x = pool(POOL, name="S4")(x)
    x = keras.layers.Conv2D(C5_UNITS, KERNEL, activation="relu", kernel_initializer=init, name="C5")(x)
    return _head(x, settings, "relu", init)


def _head(x, settings: dict, activation, init: str):
    """F6 and the output, the same in both variants but for the squashing function.

    The paper's output layer compared F6 with fixed 7x12 bitmaps of the digits (Euclidean RBF
    units); both variants use the softmax that replaced it, trained with cross-entropy.
    """
    x = keras.layers.Flatten(name="flatten")(x)
    if settings["dropout"] > 0:
        x = keras.layers.Dropout(settings["dropout"], name="dropout_C5")(x)
    x = keras.layers.Dense(F6_UNITS, kernel_initializer=init, name="F6")(x)
    x = keras.layers.Activation(activation, name="F6_activation")(x)
    if settings["dropout"] > 0:
        x = keras.layers.Dropout(settings["dropout"], name="dropout_F6")(x)
    # float32 even under mixed precision (training.mixed_precision): a float16 softmax loses small probabilities.
    return keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output", dtype="float32")(x)


# Labels are integers 0-9, so the sparse form of cross-entropy compares them with the 10 probabilities.
LOSS = "sparse_categorical_crossentropy"
METRICS = ["accuracy"]
