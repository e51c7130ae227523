"""The keys of this project's `config.yaml` and the values each may take.

`runtime/config.py` does the loading and checking; this module only says what is allowed. Standard
library + PyYAML only, like `runtime/config.py`, because the generation hook imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .conv_shapes import conv_output_size
from .runtime import config
from .runtime.config import COMMON_FIELDS
from .runtime.fields import Field
from .runtime.i18n import N_, _

ARCHITECTURE = "alexnet"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", N_("where the images come from"), choices=("tfds", "folder", "synthetic", "auto")),
    "data.tfds_name": Field("str", N_("tensorflow-datasets image set with (image, label) pairs")),
    "data.tfds_splits.train": Field("str", N_("tfds split to train on")),
    "data.tfds_splits.validation": Field("str", N_("tfds split to watch over-fitting on"), optional=True),
    "data.tfds_splits.test": Field("str", N_("tfds split for the final score")),
    "data.data_dir": Field("str", N_("tensorflow-datasets folder (null = ~/tensorflow_datasets)"), optional=True),
    "data.train_dir": Field("str", N_("folder with one sub-folder of images per class"), optional=True),
    "data.test_dir": Field("str", N_("folder with the same class sub-folders, for the final score"), optional=True),
    "data.validation_split": Field("float", N_("share of train_dir held out"), minimum=0.0, maximum=0.5),
    "data.synthetic_examples": Field("int", N_("size of the synthetic training set"), minimum=16, maximum=1_000_000),
    "data.shuffle_buffer": Field("int", N_("examples mixed at a time when shuffling"), minimum=1),
    "model.num_classes": Field("int", N_("classes in the data"), minimum=2, maximum=100_000),
    "model.input_size": Field("int", N_("side of the resized image, in pixels"), minimum=16, maximum=1024),
    "model.crop_size": Field("int", N_("side of the crop the network sees, in pixels"), minimum=16, maximum=1024),
    "model.flip": Field("bool", N_("random left-right flips while training")),
    "model.towers": Field("choice", N_("1: one network; 2: the paper's two-GPU split"), choices=(1, 2)),
    "model.conv_filters": Field("int_list", N_("filters of conv1..conv5"), minimum=1, maximum=8192, max_items=5),
    "model.dense_units": Field("int_list", N_("width of each fully connected layer"), minimum=1, maximum=65_536),
    "model.dropout": Field("float", N_("share of fully connected units dropped while training"), minimum=0.0,
                           maximum=1.0, below_maximum=True),
    "model.lrn.depth": Field("int", N_("n, the channels in each LRN window (odd)"), minimum=1, maximum=99),
    "model.lrn.k": Field("float", N_("k, the LRN bias"), minimum=1e-6, maximum=1e6),
    "model.lrn.alpha": Field("float", N_("alpha, the LRN scale"), minimum=0.0, maximum=1e3),
    "model.lrn.beta": Field("float", N_("beta, the LRN exponent"), minimum=0.0, maximum=10.0),
}

# The smallest crop the conv/pool stack accepts: 67 -> 15 -> 7 -> 7 -> 3 -> 3 -> 1.
MIN_CROP = 67


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    data, model = cfg["data"], cfg["model"]
    if data["source"] == "folder":
        for key in ("train_dir", "test_dir"):
            if data[key] is None:
                yield _("data.{key}: got null; data.source=folder needs a folder with one sub-folder per class").format(
                    key=key)
            elif not Path(data[key]).expanduser().is_dir():
                yield _("data.{key}: got {value!r}; no such folder").format(key=key, value=data[key])
    if len(model["conv_filters"]) != 5:
        yield _("model.conv_filters: got {value}; expected 5 numbers, one for each of conv1..conv5").format(
            value=model["conv_filters"])
    elif model["towers"] == 2 and any(filters % 2 for filters in model["conv_filters"]):
        yield _("model.conv_filters: got {value} with model.towers=2; each must be even, half for each tower").format(
            value=model["conv_filters"])
    if model["crop_size"] > model["input_size"]:
        yield _("model.crop_size: got {value} with model.input_size={size}; a crop cannot be larger than the image it "
                "is cut from").format(value=model["crop_size"], size=model["input_size"])
    elif model["crop_size"] < MIN_CROP:
        yield _("model.crop_size: got {value}; the five conv and three pooling layers need at least {least} pixels "
                "({sizes})").format(value=model["crop_size"], least=MIN_CROP,
                                    sizes=feature_map_sizes_text(model["crop_size"]))
    if model["lrn"]["depth"] % 2 == 0:
        yield _("model.lrn.depth: got {value}; expected an odd number (a window centred on each channel)").format(
            value=model["lrn"]["depth"])


def feature_map_sizes_text(size: int) -> str:
    """Follow (W - F + 2P) / S + 1 through the stack until it runs out, as text for a message."""
    steps = [("conv1", 11, 4, 0), ("pool1", 3, 2, 0), ("conv2", 5, 1, 2), ("pool2", 3, 2, 0),
             ("conv3-5", 3, 1, 1), ("pool5", 3, 2, 0)]
    parts = [str(size)]
    for name, kernel, stride, padding in steps:
        try:
            size = conv_output_size(size, kernel, stride, padding)
        except ValueError:
            parts.append(_("{layer} does not fit").format(layer=name))
            break
        parts.append(f"{name} {size}")
    return " -> ".join(parts)


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
