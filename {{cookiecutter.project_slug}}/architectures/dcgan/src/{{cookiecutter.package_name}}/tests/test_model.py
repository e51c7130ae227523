"""Generator and discriminator built as Radford's guidelines and the layer table say; the saved generator."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, schema
from ..model import build_model
from ..runtime.errors import ConfigError
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH


@pytest.mark.parametrize(("size", "channels"), [(28, 1), (32, 3), (64, 3), (48, 1)])
def test_sizes_and_parameters_follow_the_table(size, channels):
    cfg = schema.load(CONFIG_PATH, [f"data.image_size={size}", f"data.channels={channels}"])
    gan = build_model(cfg)
    assert gan.generator.output_shape == (None, size, size, channels)
    assert gan.discriminator.output_shape == (None, 1)
    assert gan.generator.count_params() == total_params(architecture.generator_plan(cfg))
    assert gan.discriminator.count_params() == total_params(architecture.discriminator_plan(cfg))
    assert gan.count_params() == total_params(architecture.layer_plan(cfg))


def test_radfords_guidelines():
    gan = build_model(schema.load(CONFIG_PATH, ["data.image_size=64", "data.channels=3"]))
    generator_layers, discriminator_layers = gan.generator.layers, gan.discriminator.layers
    assert not any(isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D))
                   for layer in generator_layers + discriminator_layers), "no pooling"
    strided = [layer for layer in generator_layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert [layer.strides for layer in strided] == [(2, 2)] * 4, "64 = 4 x 2 x 2 x 2 x 2"
    assert gan.generator.get_layer("image").activation.__name__ == "tanh"
    assert not isinstance(generator_layers[-2], keras.layers.BatchNormalization), "no batch norm at the output"
    convs = [layer for layer in discriminator_layers if isinstance(layer, keras.layers.Conv2D)]
    assert all(layer.strides == (2, 2) for layer in convs)
    assert isinstance(discriminator_layers[2], keras.layers.LeakyReLU), "no batch norm right after the input layer"
    assert all(layer.negative_slope == pytest.approx(0.2) for layer in discriminator_layers
               if isinstance(layer, keras.layers.LeakyReLU))


def test_one_train_step_logs_both_losses_and_moves_both_networks():
    cfg = schema.load(CONFIG_PATH, ["model.latent_dim=8", "model.generator_filters=8",
                                    "model.discriminator_filters=8"])
    gan = build_model(cfg)
    gan.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    before_g, before_d = gan.generator.get_weights()[0].copy(), gan.discriminator.get_weights()[0].copy()
    images = np.random.default_rng(0).integers(0, 256, (16, 28, 28, 1)).astype("uint8")
    logs = gan.train_on_batch(images, return_dict=True)
    assert set(logs) == {"d_loss", "g_loss"} and all(np.isfinite(value) for value in logs.values())
    assert not np.allclose(gan.generator.get_weights()[0], before_g)
    assert not np.allclose(gan.discriminator.get_weights()[0], before_d)
    assert gan.d_optimizer is not gan.optimizer and gan.d_optimizer.beta_1 == gan.optimizer.beta_1 == 0.5


def test_a_loss_scaled_step_moves_both_networks_as_a_plain_one():
    """Mixed precision wraps the optimizers in LossScaleOptimizers: train_step must scale both losses up (plain SGD
    here, whose step is proportional to the gradient, so a gradient left 32,768 times too small would show)."""
    cfg = schema.load(CONFIG_PATH, ["model.latent_dim=8", "model.generator_filters=8",
                                    "model.discriminator_filters=8"])
    images = np.random.default_rng(0).integers(0, 256, (16, 28, 28, 1)).astype("uint8")
    plain, scaled = build_model(cfg), build_model(cfg)
    scaled.set_weights(plain.get_weights())
    plain.compile(optimizer=keras.optimizers.SGD(0.1))
    scaled.compile(optimizer=keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1)))
    assert isinstance(scaled.d_optimizer, keras.optimizers.LossScaleOptimizer)
    start = [weight.copy() for weight in plain.get_weights()]
    plain.train_on_batch(images)
    scaled.train_on_batch(images)
    moved = [np.abs(after - before).max() for after, before in zip(plain.get_weights(), start, strict=True)]
    assert max(moved) > 1e-3
    for ours, theirs in zip(scaled.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-3, atol=1e-5)


def test_the_whole_gan_survives_a_saved_model_round_trip(tmp_path):
    gan = build_model(schema.load(CONFIG_PATH, ["model.latent_dim=8", "model.generator_filters=8",
                                                "model.discriminator_filters=8"]))
    noise = np.random.default_rng(1).standard_normal((3, 8)).astype("float32")
    gan.save(tmp_path / "gan.keras")
    restored = keras.models.load_model(tmp_path / "gan.keras")
    np.testing.assert_allclose(restored.generator.predict(noise, verbose=0), gan.generator.predict(noise, verbose=0),
                               rtol=1e-6)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("data.image_size=30", "data.image_size: got 30; 30 is not a start of 3-8 pixels doubled at least twice "
                               "(e.g. 28 = 7x2x2, 32, 48, 64 = 4x2x2x2x2, 96, 128)"),
        ("data.image_size=36", "data.image_size: got 36; 36 is not a start of 3-8 pixels doubled at least twice "
                               "(e.g. 28 = 7x2x2, 32, 48, 64 = 4x2x2x2x2, 96, 128)"),
        ("data.channels=2", "data.channels: got 2; expected one of 1, 3"),
        ("model.leaky_slope=-0.1", "model.leaky_slope: got -0.1; expected a number from 0 to 1"),
    ],
)
def test_bad_settings_name_field_value_and_what_is_allowed(override, message):
    with pytest.raises(ConfigError) as caught:
        schema.load(CONFIG_PATH, [override])
    assert caught.value.problems == [message]
