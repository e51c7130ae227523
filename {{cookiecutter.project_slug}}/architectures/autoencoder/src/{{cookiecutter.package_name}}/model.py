"""The stacked autoencoder in Keras: an encoder that narrows the input down to a code, its mirror image that
rebuilds the input from the code, and (model.head: softmax) a classifier on the code.

The network's outputs are named: `reconstruction` (the input rebuilt, as a flat vector scaled like the
input: grey levels 0-1, or the roll's standardized coordinates) and, with the head, `class` (ten
probabilities). An autoencoder's target is its own input, so `with_targets` turns the data's (input, label)
batches into (input, {"reconstruction": input as a vector, "class": label}).
"""

from __future__ import annotations

import dataclasses

import keras
import tensorflow as tf

from .architecture import IMAGE_SHAPE, NUM_CLASSES, activations, input_scale, input_shape, layer_sizes


def to_vector(cfg: dict) -> list[keras.layers.Layer]:
    """What turns an input into the vector the first layer sees: an image's grey levels, scaled, in one row of
    784 (architecture.input_scale); a point of the roll is already a vector."""
    if input_shape(cfg) == IMAGE_SHAPE:
        return [keras.layers.Rescaling(input_scale(cfg), name="scale"), keras.layers.Flatten(name="flatten")]
    return []


def build_model(cfg: dict) -> keras.Model:
    inputs = keras.Input(shape=input_shape(cfg), name="input")
    x = inputs
    for layer in to_vector(cfg):
        x = layer(x)
    if cfg["model"]["input_noise"]:
        # A denoising autoencoder (Vincent et al. 2008): it sees a noisy input and must rebuild the clean one, so it
        # cannot simply copy; Keras adds the noise only while training.
        x = keras.layers.GaussianNoise(cfg["model"]["input_noise"], seed=cfg["seed"], name="input_noise")(x)
    sizes = layer_sizes(cfg)
    encoders, decoders = activations(cfg)
    for index in range(1, len(sizes)):
        x = keras.layers.Dense(sizes[index], activation=encoders[index - 1], name=f"encoder_{index}")(x)
    code = keras.layers.Identity(name="code")(x)
    x = code
    for index in range(len(sizes) - 1, 0, -1):
        # float32 even under mixed precision (training.mixed_precision): the reconstruction is an output.
        x = keras.layers.Dense(sizes[index - 1], activation=decoders[index - 1], name=f"decoder_{index}",
                               dtype="float32" if index == 1 else None)(x)
    outputs = {"reconstruction": x}
    if cfg["model"]["head"] == "softmax":
        # Feature extraction: the codes the autoencoder learned, classified. Fine-tuning trains this layer and,
        # through it, the encoder on the labels, while the decoder keeps the codes faithful to the input.
        outputs["class"] = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="class", dtype="float32")(code)
    return keras.Model(inputs, outputs, name="autoencoder")


def compile_model(network: keras.Model, **options) -> None:
    """Mean squared error of the reconstruction (per input value), plus cross-entropy of the class with the head."""
    losses, metrics = {"reconstruction": "mean_squared_error"}, {}
    if "class" in network.output:
        losses["class"] = "sparse_categorical_crossentropy"
        metrics["class"] = ["accuracy"]
    network.compile(loss=losses, metrics=metrics or None, **options)


def with_targets(datasets, cfg: dict):
    """The same pipelines with the targets fine-tuning needs: the input itself (as the network's flat, scaled
    vector) and, with the head, the label. The test split keeps its labels alone: evaluation.py scores what the
    saved model makes of the test inputs itself."""
    scale = input_scale(cfg)
    head = cfg["model"]["head"] == "softmax"

    def targets(inputs, labels):
        vector = tf.reshape(tf.cast(inputs, tf.float32) * scale, (tf.shape(inputs)[0], -1))
        return inputs, {"reconstruction": vector, **({"class": labels} if head else {})}

    def mapped(dataset):
        return None if dataset is None else dataset.map(targets, num_parallel_calls=tf.data.AUTOTUNE)

    return dataclasses.replace(datasets, train=mapped(datasets.train), validation=mapped(datasets.validation))
