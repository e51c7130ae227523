"""The dense net is built as the notes and the layer table describe it."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, schema
from ..model import build_model
from ..runtime.errors import ConfigError
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH


@pytest.mark.parametrize(
    "overrides",
    [[], ["model.hidden_units=[100]"], ["model.hidden_units=[300, 100, 50]", "model.dropout=0"],
     ["model.augment_shift=0"]],
)
def test_parameter_counts_follow_the_table(overrides):
    cfg = schema.load(CONFIG_PATH, overrides)
    model = build_model(cfg)
    rows = architecture.layer_plan(cfg)
    assert model.count_params() == total_params(rows)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.count_params() for layer in dense] == [row.params for row in rows if row.params]


def test_784_512_512_10():
    cfg = schema.load(CONFIG_PATH, ["model.hidden_units=[512, 512]"])
    model = build_model(cfg)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.kernel.shape for layer in dense] == [(784, 512), (512, 512), (512, 10)]
    assert model.count_params() == 785 * 512 + 513 * 512 + 513 * 10 == 669_706


@pytest.mark.parametrize("activation", schema.ACTIVATIONS)
def test_every_activation_of_the_notes_builds_and_outputs_probabilities(activation):
    cfg = schema.load(CONFIG_PATH, [f"model.activation={activation}"])
    model = build_model(cfg)
    probabilities = np.asarray(model(np.random.default_rng(0).integers(0, 256, (4, 28, 28, 1)).astype("float32")))
    assert probabilities.shape == (4, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert model.get_layer("dense_1").activation.__name__ == activation


def test_regularization_adds_to_the_loss():
    plain = build_model(schema.load(CONFIG_PATH, ["model.l1=0", "model.l2=0"]))
    penalized = build_model(schema.load(CONFIG_PATH, ["model.l1=0.001", "model.l2=0.01"]))
    images = np.zeros((2, 28, 28, 1), "float32")
    plain(images)
    penalized(images)
    assert not plain.losses
    assert len(penalized.losses) == len(schema.load(CONFIG_PATH)["model"]["hidden_units"])
    assert all(float(loss) > 0 for loss in penalized.losses)


def test_augmentation_only_while_training():
    model = build_model(schema.load(CONFIG_PATH, ["model.augment_shift=0.2", "model.dropout=0"]))
    images = np.random.default_rng(1).integers(0, 256, (8, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(model(images, training=False), model(images, training=False))
    assert not np.allclose(model(images, training=True), model(images, training=False))


def test_saved_model_round_trip(tmp_path):
    model = build_model(schema.load(CONFIG_PATH))
    images = np.random.default_rng(2).integers(0, 256, (3, 28, 28, 1)).astype("float32")
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(restored.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-6)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("model.dropout=1", "model.dropout: got 1; expected a number from 0 to below 1"),
        ("model.activation=rleu", "model.activation: got 'rleu'; expected one of sigmoid, tanh, relu, leaky_relu, "
                                  "softsign, softplus, elu (did you mean relu?)"),
        ("model.hidden_units=[]", "model.hidden_units: got []; expected a list of integers from 1 to 65536 "
                                  "(1 to 32 items)"),
        ("model.hidden_units=[64, -1]",
         "model.hidden_units: got [64, -1]; expected a list of integers from 1 to 65536"),
    ],
)
def test_bad_model_settings_name_field_value_and_what_is_allowed(override, message):
    with pytest.raises(ConfigError) as caught:
        schema.load(CONFIG_PATH, [override])
    assert caught.value.problems == [message]


def first_to_last_gradient(activation: str) -> float:
    """How much smaller the first hidden layer's gradient is than the last's, in a fresh 6-hidden-layer net."""
    from ..runtime.gradients import gradient_sizes

    keras.utils.set_random_seed(0)
    cfg = schema.load(CONFIG_PATH, [f"model.activation={activation}", "model.hidden_units=[64, 64, 64, 64, 64, 64]",
                                    "model.dropout=0", "model.augment_shift=0"])
    model = build_model(cfg)
    model.compile(loss="sparse_categorical_crossentropy")
    images = np.random.default_rng(0).integers(0, 256, (256, 28, 28, 1)).astype("uint8")
    labels = np.arange(256) % 10
    sizes = list(gradient_sizes(model, images, labels).values())  # input side first, the output layer last
    return sizes[0] / sizes[-2]


def test_a_deep_sigmoid_net_passes_back_a_vanishing_gradient_and_relu_does_not():
    """Each sigmoid passes back at most a quarter of the gradient it gets (its slope is at most 1/4)."""
    assert first_to_last_gradient("sigmoid") < 0.01
    assert 0.2 < first_to_last_gradient("relu") < 5
