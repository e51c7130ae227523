"""LeNet-5 is built as the 1998 paper and the layer table describe it."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, schema
from ..layers import PartiallyConnectedConv2D, Subsampling, scaled_tanh
from ..model import build_model
from ..runtime.errors import ConfigError
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH

# The paper's parameter counts (LeCun et al. 1998, section II.B).
PAPER_PARAMETERS = {"C1": 156, "S2": 12, "C3": 1_516, "S4": 32, "C5": 48_120, "F6": 10_164}
PAPER_SIZES = {"pad": (32, 32, 1), "C1": (28, 28, 6), "S2": (14, 14, 6), "C3": (10, 10, 16), "S4": (5, 5, 16),
               "C5": (1, 1, 120), "F6": (84,), "output": (10,)}


def load(*overrides: str) -> dict:
    return schema.load(CONFIG_PATH, overrides)


def test_classic_trainable_parameters_match_the_paper_layer_by_layer():
    model = build_model(load("model.variant=classic"))
    for name, expected in PAPER_PARAMETERS.items():
        layer = model.get_layer(name)
        trainable = sum(int(np.prod(weight.shape)) for weight in layer.trainable_weights)
        assert trainable == expected, f"{name}: {trainable} trainable parameters, the paper has {expected}"
    assert model.get_layer("output").count_params() == 85 * 10


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_output_sizes_follow_the_formula(variant):
    model = build_model(load(f"model.variant={variant}"))
    for name, shape in PAPER_SIZES.items():
        assert tuple(model.get_layer(name).output.shape[1:]) == shape, name
    rows = {row.name.split()[0]: row for row in architecture.layer_plan(load(f"model.variant={variant}"))}
    assert rows["C1"].rule == "(32 - 5 + 2x0) / 1 + 1 = 28"
    assert rows["S2"].rule == "(28 - 2 + 2x0) / 2 + 1 = 14"
    assert rows["C3"].rule == "(14 - 5 + 2x0) / 1 + 1 = 10"
    assert [rows[n].output_shape for n in ("C1", "S2", "C3", "S4", "C5")] == [
        PAPER_SIZES[n] for n in ("C1", "S2", "C3", "S4", "C5")]


@pytest.mark.parametrize(
    "overrides",
    [["model.variant=classic"], ["model.variant=modern"], ["model.dropout=0.2"], ["model.augment_shift=0"]],
)
def test_parameter_counts_follow_the_table(overrides):
    cfg = load(*overrides)
    model = build_model(cfg)
    assert model.count_params() == total_params(architecture.layer_plan(cfg))


def test_modern_variant_is_relu_max_pooling_and_full_c3():
    model = build_model(load("model.variant=modern"))
    assert isinstance(model.get_layer("S2"), keras.layers.MaxPooling2D)
    assert model.get_layer("C3").count_params() == 5 * 5 * 6 * 16 + 16 == 2_416
    assert model.get_layer("C1").activation.__name__ == "relu"
    average = build_model(load("model.variant=modern", "model.pooling=average"))
    assert isinstance(average.get_layer("S4"), keras.layers.AveragePooling2D)
    assert average.count_params() == model.count_params(), "pooling has no weights"


def test_connections_match_the_paper():
    rows = {row.name.split()[0]: row for row in architecture.layer_plan(load("model.variant=classic"))}
    counted = {name: architecture.connections(rows[name]) for name in PAPER_PARAMETERS}
    assert counted == {"C1": 122_304, "S2": 5_880, "C3": 151_600, "S4": 2_000, "C5": 48_120, "F6": 10_164}


def test_c3_connects_exactly_the_papers_table():
    """Output map j responds to input map i only where the paper's Table I has an X."""
    layer = PartiallyConnectedConv2D(architecture.C3_TABLE, 5)
    layer.build((None, 14, 14, 6))
    for i in range(6):
        probe = np.zeros((1, 14, 14, 6), "float32")
        probe[0, 4:9, 4:9, i] = 1.0
        response = np.abs(np.asarray(layer(probe)) - np.asarray(layer(np.zeros_like(probe)))).sum(axis=(0, 1, 2))
        seen = {j for j in range(16) if response[j] > 0}
        assert seen == {j for j, inputs in enumerate(architecture.C3_TABLE) if i in inputs}, f"S2 map {i}"
    assert sorted(len(inputs) for inputs in architecture.C3_TABLE) == [3] * 6 + [4] * 9 + [6]


def test_partial_convolution_equals_a_numpy_reference():
    table = [(0,), (0, 1), (1, 2)]
    layer = PartiallyConnectedConv2D(table, 3)
    images = np.random.default_rng(0).normal(size=(2, 6, 6, 3)).astype("float32")
    layer.build(images.shape)
    layer.bias.assign(np.array([0.1, -0.2, 0.3], "float32"))
    kernel, bias = np.asarray(layer.kernel), np.asarray(layer.bias)
    expected = np.zeros((2, 4, 4, 3), "float32")
    connection = 0
    for j, inputs in enumerate(table):
        for i in inputs:
            for y in range(4):
                for x in range(4):
                    expected[:, y, x, j] += (images[:, y:y + 3, x:x + 3, i] * kernel[:, :, connection]).sum(axis=(1, 2))
            connection += 1
        expected[..., j] += bias[j]
    np.testing.assert_allclose(np.asarray(layer(images)), expected, rtol=1e-5, atol=1e-5)


def test_subsampling_equals_a_numpy_reference():
    layer = Subsampling(2)
    images = np.random.default_rng(1).normal(size=(2, 4, 6, 3)).astype("float32")
    layer.build(images.shape)
    layer.coefficient.assign(np.array([0.5, -1.0, 2.0], "float32"))
    layer.bias.assign(np.array([0.0, 0.1, -0.1], "float32"))
    block_sums = images.reshape(2, 2, 2, 3, 2, 3).sum(axis=(2, 4))
    np.testing.assert_allclose(np.asarray(layer(images)), block_sums * [0.5, -1.0, 2.0] + [0.0, 0.1, -0.1],
                               rtol=1e-5, atol=1e-6)


def test_scaled_tanh_maps_plus_minus_one_to_themselves():
    np.testing.assert_allclose(np.asarray(scaled_tanh(np.array([-1.0, 0.0, 1.0], "float32"))), [-1, 0, 1], atol=2e-4)


@pytest.mark.parametrize("variant", ["classic", "modern"])
def test_saved_model_round_trip(tmp_path, variant):
    model = build_model(load(f"model.variant={variant}"))
    images = np.random.default_rng(2).integers(0, 256, (3, 28, 28, 1)).astype("float32")
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(restored.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-6)
    assert restored.get_layer("C3").count_params() == model.get_layer("C3").count_params()


def test_bad_model_settings_are_named():
    with pytest.raises(ConfigError) as caught:
        load("model.variant=lenet1")
    assert caught.value.problems == ["model.variant: got 'lenet1'; expected one of classic, modern"]
