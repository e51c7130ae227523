"""The stacked autoencoder built as the notes and the layer table describe it: a mirror-image encoder-decoder."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, schema
from ..model import build_model
from ..runtime.errors import ConfigError
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH, main


@pytest.mark.parametrize("overrides", [[], ["model.code_size=30"], ["model.hidden_units=[64]", "model.head=softmax"],
                                       ["model.input_noise=0.3", "model.pretrain=false"],
                                       ["data.source=swiss_roll", "model.hidden_units=[100, 50, 25, 10]"]])
def test_parameter_counts_follow_the_table(overrides):
    cfg = schema.load(CONFIG_PATH, overrides)
    model = build_model(cfg)
    rows = architecture.layer_plan(cfg)
    assert model.count_params() == total_params(rows)
    dense = {layer.name: layer.count_params() for layer in model.layers if isinstance(layer, keras.layers.Dense)}
    assert dense == {row.name.split()[0]: row.params for row in rows if row.params}


def test_the_decoder_mirrors_the_encoder_through_a_linear_code():
    cfg = schema.load(CONFIG_PATH, ["model.hidden_units=[500, 250]", "model.code_size=2", "model.activation=relu"])
    model = build_model(cfg)
    kernels = {layer.name: (layer.kernel.shape, layer.activation.__name__) for layer in model.layers
               if isinstance(layer, keras.layers.Dense)}
    assert kernels == {"encoder_1": ((784, 500), "relu"), "encoder_2": ((500, 250), "relu"),
                       "encoder_3": ((250, 2), "linear"), "decoder_3": ((2, 250), "relu"),
                       "decoder_2": ((250, 500), "relu"), "decoder_1": ((500, 784), "sigmoid")}
    assert model.get_layer("code").output.shape == (None, 2)


def test_the_swiss_roll_net_is_3_100_50_25_10_2_with_a_linear_output():
    cfg = schema.load(CONFIG_PATH, ["data.source=swiss_roll", "model.hidden_units=[100, 50, 25, 10]",
                                    "model.code_size=2"])
    assert architecture.layer_sizes(cfg) == [3, 100, 50, 25, 10, 2]
    model = build_model(cfg)
    assert model.input_shape == (None, 3)
    assert model.get_layer("decoder_1").activation.__name__ == "linear"


def test_a_tanh_code_keeps_every_code_unit_between_minus_one_and_one():
    """The same weights with a linear code put far points' codes outside the square; tanh keeps them inside, in
    fine-tuning's network and in the last shallow autoencoder that pre-trains its code layer."""
    points = np.random.default_rng(3).normal(0.0, 30.0, (512, 3)).astype("float32")
    codes = {}
    for code in ("linear", "tanh"):
        cfg = schema.load(CONFIG_PATH, ["data.source=swiss_roll", "model.hidden_units=[100, 50, 25, 10]",
                                        f"model.code_activation={code}"])
        assert architecture.activations(cfg)[0][-1] == code  # what pretraining.py builds the last encoder with
        keras.utils.set_random_seed(4)
        model = build_model(cfg)
        codes[code] = keras.Model(model.input, model.get_layer("code").output).predict(points, verbose=0)
    assert np.abs(codes["linear"]).max() > 1.0
    assert np.abs(codes["tanh"]).max() <= 1.0
    np.testing.assert_allclose(codes["tanh"], np.tanh(codes["linear"]), atol=1e-5)


def test_saved_model_round_trip(tmp_path):
    model = build_model(schema.load(CONFIG_PATH, ["model.hidden_units=[32, 16]", "model.head=softmax",
                                                  "model.input_noise=0.2"]))
    images = np.random.default_rng(2).integers(0, 256, (3, 28, 28, 1)).astype("float32")
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    before, after = model.predict(images, verbose=0), restored.predict(images, verbose=0)
    assert set(after) == {"reconstruction", "class"} and after["reconstruction"].shape == (3, 784)
    for name in before:
        np.testing.assert_allclose(after[name], before[name], rtol=1e-6)


def test_explain_lists_each_shallow_autoencoder(capsys):
    assert main(["explain", "--config", str(CONFIG_PATH), "model.hidden_units=[500, 200]", "model.code_size=30"]) == 0
    out = capsys.readouterr().out
    assert "autoencoder 1: 784-500-784, 785,284 parameters (becomes encoder_1 and decoder_1)" in out
    assert "autoencoder 3: 200-30-200, 12,230 parameters" in out
    assert "one after the other, 10 epochs each," in out
    assert main(["explain", "--config", str(CONFIG_PATH), "pretraining.epochs=1"]) == 0
    assert "one after the other, 1 epoch each," in capsys.readouterr().out
    assert main(["explain", "--config", str(CONFIG_PATH), "model.pretrain=false"]) == 0
    assert "pre-training: off" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("model.code_size=0", "model.code_size: got 0; expected an integer from 1 to 65536"),
        ("model.head=svm", "model.head: got 'svm'; expected one of none, softmax"),
        ("model.activation=relu6", "model.activation: got 'relu6'; expected one of sigmoid, tanh, relu, elu"),
        ("model.code_activation=relu", "model.code_activation: got 'relu'; expected one of linear, tanh"),
        ("model.input_noise=-1", "model.input_noise: got -1; expected a number from 0 to 10"),
        ("data.source=swissroll", "data.source: got 'swissroll'; expected one of tfds, npz, synthetic, auto, "
                                  "swiss_roll"),
    ],
)
def test_bad_settings_name_field_value_and_what_is_allowed(override, message):
    with pytest.raises(ConfigError) as caught:
        schema.load(CONFIG_PATH, [override])
    assert caught.value.problems[0].startswith(message)
