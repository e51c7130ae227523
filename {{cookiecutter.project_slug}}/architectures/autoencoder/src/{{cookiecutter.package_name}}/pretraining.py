"""Greedy layer-wise pre-training, as the notes describe the 自联想网络 (auto-associative network):

1. train a three-layer network, input -> hidden -> output, to reproduce its input (a shallow autoencoder);
2. drop its output layer: its hidden units are the codes of the input;
3. train the next shallow autoencoder to reproduce those codes, and so on up to the code layer;
4. unroll the stack: the hidden layers, in order, are the encoder; the output layers, in reverse order, the
   decoder. Fine-tuning then trains the whole encoder-decoder on the reconstruction (Hinton & Salakhutdinov
   2006; Bengio et al. 2007 stack autoencoders where Hinton stacked RBMs).

Each shallow autoencoder is a small Keras `Model`, so `fit` brings progress, callbacks and the distribution
strategies. Its target, the codes of the layers below, is not in the data: `compute_loss` makes it from the
input (see ShallowAutoencoder).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keras
import tensorflow as tf
from keras import ops

from .architecture import activations, layer_sizes
from .model import to_vector
from .runtime.i18n import _
from .runtime.storage import write_csv


class ShallowAutoencoder(keras.Model):
    """input -> `encoder` -> `decoder`, trained to reproduce what the frozen layers `below` make of the input.

    `below` are the encoders of the shallow autoencoders trained before this one (after the layers that turn an
    image into a vector): greedy, each layer is trained once, on what the layers under it already do.
    """

    def __init__(self, encoder: keras.layers.Dense, decoder: keras.layers.Dense, below: list[keras.layers.Layer],
                 input_noise: float = 0.0, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.encoder, self.decoder, self.below = encoder, decoder, list(below)
        for layer in self.below:
            layer.trainable = False
        # Denoising (model.input_noise): each shallow autoencoder sees its input with noise and rebuilds it clean.
        self.noise = keras.layers.GaussianNoise(input_noise, seed=seed) if input_noise else None

    def visible(self, inputs):
        """What this shallow autoencoder is to reproduce: the input as it reaches its layer of the stack."""
        for layer in self.below:
            inputs = layer(inputs)
        return inputs

    def call(self, inputs, training=False):
        visible = self.visible(inputs)
        noisy = self.noise(visible, training=training) if self.noise is not None else visible
        return {"visible": visible, "reconstruction": self.decoder(self.encoder(noisy))}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Mean squared error between the layer's input and its reconstruction, both in y_pred (see `call`)."""
        del x, y, sample_weight, training  # the data's targets are the network's, not this layer's
        loss = ops.mean(ops.square(y_pred["visible"] - y_pred["reconstruction"]))
        # Keras sums the replicas' gradients; dividing here makes that sum their mean, as its own losses do.
        return loss / tf.distribute.get_strategy().num_replicas_in_sync


def pretrain(network: keras.Model, cfg: dict, strategy, fit: Callable, run_dir: Path | None) -> dict:
    """Train one shallow autoencoder per layer pair, bottom up, and copy each into `network`; returns what
    metrics.json records of it.

    fit(autoencoder, epochs, name) trains on the run's training pipeline (and scores the validation split) and
    returns the per-epoch logs; each shallow autoencoder, once trained, is kept in the run's backup under its
    name, so a run killed while a later one trains does not train it again. run_dir: where the per-epoch table
    goes (None on workers other than the chief).
    """
    if not cfg["model"]["pretrain"]:
        return {"pretraining": None}
    sizes = layer_sizes(cfg)
    encoders, decoders = activations(cfg)
    below = to_vector(cfg)
    rows, report = [], {}
    for index in range(1, len(sizes)):
        line = (_("pre-training autoencoder {index} of {count}: {below}-{units}-{below}, reproducing the input")
                if index == 1 else
                _("pre-training autoencoder {index} of {count}: {below}-{units}-{below}, reproducing the codes of "
                  "layer {layer}"))
        print(line.format(index=index, count=len(sizes) - 1, below=sizes[index - 1], units=sizes[index],
                          layer=index - 1))
        with strategy.scope():
            encoder = keras.layers.Dense(sizes[index], activation=encoders[index - 1], name="encoder")
            decoder = keras.layers.Dense(sizes[index - 1], activation=decoders[index - 1], name="decoder")
            shallow = ShallowAutoencoder(encoder, decoder, below, cfg["model"]["input_noise"], seed=cfg["seed"] + index,
                                         name=f"autoencoder_{index}")
            shallow.compile(optimizer=keras.optimizers.Adam(cfg["pretraining"]["learning_rate"]))
        history = fit(shallow, cfg["pretraining"]["epochs"], name=f"autoencoder_{index}")
        # Unrolling: the hidden layer joins the encoder, the output layer the decoder, at the mirror position.
        network.get_layer(f"encoder_{index}").set_weights(encoder.get_weights())
        network.get_layer(f"decoder_{index}").set_weights(decoder.get_weights())
        below = [*below, encoder]
        report[f"autoencoder_{index}"] = per_epoch = {key: [round(float(value), 6) for value in values]
                                                      for key, values in history.items()}
        rows += [{"autoencoder": index, "epoch": epoch, **{key: values[epoch] for key, values in per_epoch.items()}}
                 for epoch in range(len(history["loss"]))]
    if run_dir is not None:
        write_csv(run_dir / "pretraining.csv", rows)
    return {"pretraining": report}
