"""AlexNet is built as the paper, the course notes and the layer table describe it."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, schema
from ..layers import LocalResponseNormalization
from ..model import build_model
from ..runtime.errors import ConfigError
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH
from .quick import MODEL_OVERRIDES

# The notes: 227 -> conv1 55 -> pool1 27 -> conv2 27 -> pool2 13 -> conv3..5 13 -> pool5 6.
NOTES_SIZES = {"crop": (227, 227, 3), "conv1": (55, 55, 96), "pool1": (27, 27, 96), "lrn1": (27, 27, 96),
               "conv2": (27, 27, 256), "pool2": (13, 13, 256), "lrn2": (13, 13, 256), "conv3": (13, 13, 384),
               "conv4": (13, 13, 384), "conv5": (13, 13, 256), "pool5": (6, 6, 256), "flatten": (9216,),
               "fc6": (4096,), "fc7": (4096,), "output": (1000,)}


def load(*overrides: str) -> dict:
    return schema.load(CONFIG_PATH, overrides)


@pytest.mark.parametrize("towers", [1, 2])
def test_output_sizes_follow_the_notes(towers):
    model = build_model(load("model.num_classes=1000", f"model.towers={towers}"))
    for name, shape in NOTES_SIZES.items():
        assert tuple(model.get_layer(name).output.shape[1:]) == shape, name
    rows = {row.name.split()[0]: row for row in architecture.layer_plan(load("model.num_classes=1000"))}
    assert {name: rows[name].output_shape for name in NOTES_SIZES} == NOTES_SIZES
    assert rows["conv1"].rule == "(227 - 11 + 2x0) / 4 + 1 = 55"
    assert rows["pool1"].rule == "(55 - 3 + 2x0) / 2 + 1 = 27"


@pytest.mark.parametrize(("towers", "expected"), [(1, 62_378_344), (2, 60_965_224)])
def test_parameter_counts_for_imagenet(towers, expected):
    cfg = load("model.num_classes=1000", f"model.towers={towers}")
    assert total_params(architecture.layer_plan(cfg)) == expected
    assert build_model(cfg).count_params() == expected


@pytest.mark.parametrize(
    "overrides",
    [[], ["model.towers=2"], ["model.flip=false", "model.dropout=0"], ["model.dense_units=[512]"], MODEL_OVERRIDES],
)
def test_parameter_counts_follow_the_table(overrides):
    cfg = load(*overrides)
    assert build_model(cfg).count_params() == total_params(architecture.layer_plan(cfg))


def test_two_towers_keep_conv2_conv4_conv5_apart():
    model = build_model(load("model.towers=2"))
    assert model.get_layer("conv2").kernel.shape == (5, 5, 48, 256)  # each filter sees 48 of 96 maps
    assert model.get_layer("conv3").kernel.shape == (3, 3, 256, 384)  # conv3 sees both towers
    assert model.get_layer("conv4").kernel.shape == (3, 3, 192, 384)
    assert model.get_layer("conv5").kernel.shape == (3, 3, 192, 256)
    # Changing the second tower's input maps leaves the first tower's outputs exactly as they were.
    conv2 = model.get_layer("conv2")
    maps = np.random.default_rng(0).normal(size=(1, 27, 27, 96)).astype("float32")
    changed = maps.copy()
    changed[..., 48:] += 1.0
    before, after = np.asarray(conv2(maps)), np.asarray(conv2(changed))
    np.testing.assert_array_equal(before[..., :128], after[..., :128])
    assert not np.allclose(before[..., 128:], after[..., 128:])


def test_lrn_settings_reach_the_layers():
    model = build_model(load("model.lrn.depth=3", "model.lrn.k=1.5", "model.lrn.alpha=0.001", "model.lrn.beta=0.5",
                             "model.towers=2", *MODEL_OVERRIDES))
    for name in ("lrn1", "lrn2"):
        layer = model.get_layer(name)
        assert isinstance(layer, LocalResponseNormalization)
        config = layer.get_config()
        assert (config["depth"], config["k"], config["alpha"], config["beta"], config["groups"]) == (3, 1.5, 0.001,
                                                                                                     0.5, 2)
    defaults = build_model(load(*MODEL_OVERRIDES)).get_layer("lrn1").get_config()
    assert (defaults["depth"], defaults["k"], defaults["alpha"], defaults["beta"]) == (5, 2.0, 1e-4, 0.75)


def test_crops_and_flips_only_while_training():
    model = build_model(load(*MODEL_OVERRIDES, "model.dropout=0"))
    images = np.random.default_rng(1).integers(0, 256, (4, 72, 72, 3)).astype("float32")
    crop = model.get_layer("crop")
    np.testing.assert_array_equal(np.asarray(crop(images, training=False)), images[:, 2:69, 2:69])
    np.testing.assert_allclose(model(images, training=False), model(images, training=False))
    assert not np.allclose(model(images, training=True), model(images, training=False))
    assert tuple(np.asarray(crop(images, training=True)).shape) == (4, 67, 67, 3)


def test_saved_model_round_trip(tmp_path):
    model = build_model(load(*MODEL_OVERRIDES, "model.towers=2"))
    images = np.random.default_rng(2).integers(0, 256, (3, 72, 72, 3)).astype("float32")
    model.save(tmp_path / "model.keras")
    restored = keras.models.load_model(tmp_path / "model.keras")
    np.testing.assert_allclose(restored.predict(images, verbose=0), model.predict(images, verbose=0), rtol=1e-5)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["model.crop_size=60", "model.input_size=64"],
         "model.crop_size: got 60; the five conv and three pooling layers need at least 67 pixels (60 -> conv1 13 -> "
         "pool1 6 -> conv2 6 -> pool2 2 -> conv3-5 2 -> pool5 does not fit)"),
        (["model.crop_size=300"], "model.crop_size: got 300 with model.input_size=256; a crop cannot be larger than "
                                  "the image it is cut from"),
        (["model.towers=2", "model.conv_filters=[96, 255, 384, 384, 256]"],
         "model.conv_filters: got [96, 255, 384, 384, 256] with model.towers=2; each must be even, half for each "
         "tower"),
        (["model.conv_filters=[96, 256]"], "model.conv_filters: got [96, 256]; expected 5 numbers, one for each of "
                                           "conv1..conv5"),
        (["model.towers=3"], "model.towers: got 3; expected one of 1, 2"),
        (["model.lrn.depth=4"], "model.lrn.depth: got 4; expected an odd number (a window centred on each channel)"),
        (["data.source=folder"], "data.train_dir: got null; data.source=folder needs a folder with one sub-folder "
                                 "per class"),
    ],
)
def test_bad_model_settings_are_named(overrides, message):
    with pytest.raises(ConfigError) as caught:
        load(*overrides)
    assert message in caught.value.problems
