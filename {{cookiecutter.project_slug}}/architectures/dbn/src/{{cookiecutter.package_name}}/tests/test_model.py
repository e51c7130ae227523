"""The classifier the DBN becomes, built as the notes and the layer table describe it."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, schema
from ..model import build_model
from ..runtime.errors import ConfigError
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH


@pytest.mark.parametrize("overrides", [[], ["model.hidden_units=[100]"], ["model.hidden_units=[64, 32]",
                                                                          "model.pretrain=false"]])
def test_parameter_counts_follow_the_table(overrides):
    cfg = schema.load(CONFIG_PATH, overrides)
    model = build_model(cfg)
    rows = architecture.layer_plan(cfg)
    assert model.count_params() == total_params(rows)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.count_params() for layer in dense] == [row.params for row in rows if row.params]


def test_hintons_784_500_500_2000_10():
    cfg = schema.load(CONFIG_PATH, ["model.hidden_units=[500, 500, 2000]"])
    dense = [layer for layer in build_model(cfg).layers if isinstance(layer, keras.layers.Dense)]
    assert [layer.kernel.shape for layer in dense] == [(784, 500), (500, 500), (500, 2000), (2000, 10)]
    assert [layer.activation.__name__ for layer in dense] == ["sigmoid"] * 3 + ["softmax"]
    # Each RBM has v more parameters than its Dense layer: the visible biases, used only to reconstruct.
    assert architecture.rbm_params(784, 500) == dense[0].count_params() + 784


def test_explain_lists_each_rbm(capsys):
    from .conftest import main

    assert main(["explain", "--config", str(CONFIG_PATH), "model.hidden_units=[500, 200]"]) == 0
    out = capsys.readouterr().out
    assert "RBM 1: 784 visible x 500 hidden: 393,284 parameters" in out
    assert "RBM 2: 500 visible x 200 hidden: 100,700 parameters" in out
    assert main(["explain", "--config", str(CONFIG_PATH), "pretraining.epochs=1"]) == 0
    assert "one after the other, 1 epoch each with" in capsys.readouterr().out
    assert main(["explain", "--config", str(CONFIG_PATH), "model.pretrain=false"]) == 0
    assert "pre-training: off" in capsys.readouterr().out


def test_saved_model_round_trip(tmp_path):
    model = build_model(schema.load(CONFIG_PATH, ["model.hidden_units=[32, 16]"]))
    images = np.random.default_rng(2).integers(0, 256, (3, 28, 28, 1)).astype("float32")
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(restored.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-6)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("model.hidden_units=[]", "model.hidden_units: got []; expected a list of integers from 1 to 65536 "
                                  "(1 to 32 items)"),
        ("model.pretrain=maybe", "model.pretrain: got 'maybe'; expected true or false"),
        ("pretraining.cd_k=0", "pretraining.cd_k: got 0; expected an integer from 1 to 1000"),
        ("pretraining.momentum=1", "pretraining.momentum: got 1; expected a number from 0 to below 1"),
    ],
)
def test_bad_settings_name_field_value_and_what_is_allowed(override, message):
    with pytest.raises(ConfigError) as caught:
        schema.load(CONFIG_PATH, [override])
    assert caught.value.problems == [message]
