"""Greedy pre-training: each shallow autoencoder learns the codes of the one below, and the unrolled stack holds
exactly their weights."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from .. import pretraining
from ..model import build_model


def fit_on(images: np.ndarray, trained: list):
    def fit(shallow, epochs, name):  # the runtime's fit backs a named phase up (here there is no run to back up)
        history = shallow.fit(images, epochs=epochs, batch_size=64, verbose=0).history
        trained.append((name, [weight.path for weight in shallow.trainable_weights]))
        return history

    return fit


def relu(x):
    return np.maximum(x, 0.0)


def test_the_unrolled_stack_holds_exactly_the_shallow_autoencoders(quick_config, monkeypatch):
    made = []

    class Recorded(pretraining.ShallowAutoencoder):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(pretraining, "ShallowAutoencoder", Recorded)
    cfg = quick_config("model.hidden_units=[32, 16]", "model.code_size=2", "model.activation=relu",
                       "pretraining.epochs=2")
    network = build_model(cfg)
    images = np.random.default_rng(0).integers(0, 256, (256, 28, 28, 1)).astype("uint8")
    seen = []
    report = pretraining.pretrain(network, cfg, tf.distribute.get_strategy(), fit_on(images, seen), run_dir=None)

    assert [name for name, _ in seen] == ["autoencoder_1", "autoencoder_2", "autoencoder_3"]
    # Greedy: each shallow autoencoder trains its own two layers only; the encoders below it are frozen.
    assert [sorted(weights) for _, weights in seen] == [[f"autoencoder_{index}/{layer}/{weight}" for layer in
                                                         ("decoder", "encoder") for weight in ("bias", "kernel")]
                                                        for index in (1, 2, 3)]
    for index, shallow in enumerate(made, start=1):
        for kind in ("encoder", "decoder"):
            for kept, trained in zip(network.get_layer(f"{kind}_{index}").get_weights(),
                                     getattr(shallow, kind).get_weights(), strict=True):
                np.testing.assert_array_equal(kept, trained)
        assert len(report["pretraining"][f"autoencoder_{index}"]["loss"]) == 2

    # What autoencoder 2 learned to reproduce: the codes of encoder 1, written out in NumPy.
    (w1, b1), (w2, b2), (w3, b3) = (network.get_layer(f"encoder_{i}").get_weights() for i in (1, 2, 3))
    x = images[:8].reshape(8, -1) / 255.0
    first = relu(x @ w1 + b1)
    np.testing.assert_allclose(made[1].visible(images[:8]), first, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(made[2].visible(images[:8]), relu(first @ w2 + b2), rtol=1e-5, atol=1e-5)
    # Unrolled: the network's code is the three encoders in a row, its reconstruction the decoders in reverse.
    code = relu(first @ w2 + b2) @ w3 + b3
    (v3, c3), (v2, c2), (v1, c1) = (network.get_layer(f"decoder_{i}").get_weights() for i in (3, 2, 1))
    rebuilt = 1 / (1 + np.exp(-(relu(relu(code @ v3 + c3) @ v2 + c2) @ v1 + c1)))
    np.testing.assert_allclose(network.predict(images[:8], verbose=0)["reconstruction"], rebuilt, rtol=1e-4,
                               atol=1e-5)


def test_the_loss_is_the_mean_squared_error_of_the_layers_input(quick_config):
    cfg = quick_config("model.hidden_units=[16]", "model.code_size=4")
    network = build_model(cfg)
    shallow = pretraining.ShallowAutoencoder(network.get_layer("encoder_1"), network.get_layer("decoder_1"),
                                             below=[network.get_layer("scale"), network.get_layer("flatten")])
    images = np.random.default_rng(1).integers(0, 256, (5, 28, 28, 1)).astype("float32")
    outputs = shallow(images)
    expected = np.mean((images.reshape(5, -1) / 255.0 - np.asarray(outputs["reconstruction"])) ** 2)
    np.testing.assert_allclose(shallow.compute_loss(y_pred=outputs), expected, rtol=1e-5)


def real_digits() -> Path:
    candidates = [parent / "shared/data/mnist/mnist-5k.npz" for parent in Path(__file__).resolve().parents]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        pytest.skip("no shared/data/mnist/mnist-5k.npz next to this checkout")
    return path


def test_each_shallow_autoencoder_learns_real_digits(quick_config, tmp_path):
    """On 5,000 real digits, each shallow autoencoder's validation loss falls; pretraining.csv has a row per epoch."""
    digits = np.load(real_digits())["x_train"][..., np.newaxis]
    cfg = quick_config("model.hidden_units=[64]", "model.code_size=16", "pretraining.epochs=3")

    def fit(shallow, epochs, name):
        return shallow.fit(digits, epochs=epochs, batch_size=128, validation_split=0.1, verbose=0).history

    report = pretraining.pretrain(build_model(cfg), cfg, tf.distribute.get_strategy(), fit, run_dir=tmp_path)
    for index in (1, 2):
        losses = report["pretraining"][f"autoencoder_{index}"]["val_loss"]
        assert losses[-1] < 0.9 * losses[0], f"autoencoder {index}: validation loss did not fall: {losses}"
    with (tmp_path / "pretraining.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["autoencoder"], row["epoch"]) for row in rows] == [(str(a), str(e)) for a in (1, 2) for e in range(3)]


def test_without_pretraining_nothing_is_pretrained(quick_config, tmp_path):
    cfg = quick_config("model.pretrain=false")
    network = build_model(cfg)
    before = network.get_weights()

    def fit(*args, **kwargs):
        raise AssertionError("nothing should be trained")

    assert pretraining.pretrain(network, cfg, tf.distribute.get_strategy(), fit, run_dir=tmp_path) == \
        {"pretraining": None}
    assert all(np.array_equal(a, b) for a, b in zip(before, network.get_weights(), strict=True))
    assert list(tmp_path.iterdir()) == []
