"""The multilayer perceptron: 784 inputs, the configured hidden layers, 10 softmax outputs.

Pixels enter as 0-255 grey levels and are scaled inside the model, so a saved `model.keras`
accepts an image as it comes from a file, with nothing to remember at prediction time.
"""

from __future__ import annotations

import keras

from .architecture import IMAGE_SHAPE, NUM_CLASSES
from .random_shift import RandomShift


def build_model(cfg: dict) -> keras.Model:
    settings = cfg["model"]
    # L1 pushes weights to exactly zero, L2 keeps them small; both add to the loss being minimized.
    regularizer = None
    if settings["l1"] or settings["l2"]:
        regularizer = keras.regularizers.L1L2(l1=settings["l1"], l2=settings["l2"])
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    x = keras.layers.Rescaling(1.0 / 255, name="scale")(inputs)
    if settings["augment_shift"] > 0:
        # A dense net has no notion of "the same stroke one pixel to the left": showing it digits
        # shifted at random (training only; off at test time) teaches that, and curbs over-fitting.
        x = RandomShift(settings["augment_shift"], seed=cfg["seed"], name="shift")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    for index, units in enumerate(settings["hidden_units"], start=1):
        x = keras.layers.Dense(units, activation=settings["activation"], kernel_regularizer=regularizer,
                               name=f"dense_{index}")(x)
        if settings["dropout"] > 0:
            x = keras.layers.Dropout(settings["dropout"], name=f"dropout_{index}")(x)
    # float32 even under mixed precision (training.mixed_precision): a float16 softmax loses small probabilities.
    outputs = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="mnist_mlp")


# Labels are integers 0-9, so the sparse form of cross-entropy compares them with the 10 probabilities.
LOSS = "sparse_categorical_crossentropy"
METRICS = ["accuracy"]
