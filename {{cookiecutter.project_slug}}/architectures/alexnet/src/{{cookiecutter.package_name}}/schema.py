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

ARCHITECTURE = "alexnet"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", "which network this project trains", choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", "where the images come from", choices=("tfds", "folder", "synthetic", "auto")),
    "data.tfds_name": Field("str", "tensorflow-datasets image set with (image, label) pairs"),
    "data.tfds_splits.train": Field("str", "tfds split to train on"),
    "data.tfds_splits.validation": Field("str", "tfds split to watch over-fitting on", optional=True),
    "data.tfds_splits.test": Field("str", "tfds split for the final score"),
    "data.data_dir": Field("str", "tensorflow-datasets folder (null = ~/tensorflow_datasets)", optional=True),
    "data.train_dir": Field("str", "folder with one sub-folder of images per class", optional=True),
    "data.test_dir": Field("str", "folder with the same class sub-folders, for the final score", optional=True),
    "data.validation_split": Field("float", "share of train_dir held out", minimum=0.0, maximum=0.5),
    "data.synthetic_examples": Field("int", "size of the synthetic training set", minimum=16, maximum=1_000_000),
    "data.shuffle_buffer": Field("int", "examples mixed at a time when shuffling", minimum=1),
    "model.num_classes": Field("int", "classes in the data", minimum=2, maximum=100_000),
    "model.input_size": Field("int", "side of the resized image, in pixels", minimum=16, maximum=1024),
    "model.crop_size": Field("int", "side of the crop the network sees, in pixels", minimum=16, maximum=1024),
    "model.flip": Field("bool", "random left-right flips while training"),
    "model.towers": Field("choice", "1: one network; 2: the paper's two-GPU split", choices=(1, 2)),
    "model.conv_filters": Field("int_list", "filters of conv1..conv5", minimum=1, maximum=8192, max_items=5),
    "model.dense_units": Field("int_list", "width of each fully connected layer", minimum=1, maximum=65_536),
    "model.dropout": Field("float", "share of fully connected units dropped while training", minimum=0.0,
                           maximum=1.0, below_maximum=True),
    "model.lrn.depth": Field("int", "n, the channels in each LRN window (odd)", minimum=1, maximum=99),
    "model.lrn.k": Field("float", "k, the LRN bias", minimum=1e-6, maximum=1e6),
    "model.lrn.alpha": Field("float", "alpha, the LRN scale", minimum=0.0, maximum=1e3),
    "model.lrn.beta": Field("float", "beta, the LRN exponent", minimum=0.0, maximum=10.0),
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
                yield f"data.{key}: got null; data.source=folder needs a folder with one sub-folder per class"
            elif not Path(data[key]).expanduser().is_dir():
                yield f"data.{key}: got {data[key]!r}; no such folder"
    if len(model["conv_filters"]) != 5:
        yield f"model.conv_filters: got {model['conv_filters']}; expected 5 numbers, one for each of conv1..conv5"
    elif model["towers"] == 2 and any(filters % 2 for filters in model["conv_filters"]):
        yield (f"model.conv_filters: got {model['conv_filters']} with model.towers=2; each must be even, "
               f"half for each tower")
    if model["crop_size"] > model["input_size"]:
        yield (f"model.crop_size: got {model['crop_size']} with model.input_size={model['input_size']}; "
               f"a crop cannot be larger than the image it is cut from")
    elif model["crop_size"] < MIN_CROP:
        yield (f"model.crop_size: got {model['crop_size']}; the five conv and three pooling layers need at "
               f"least {MIN_CROP} pixels ({feature_map_sizes_text(model['crop_size'])})")
    if model["lrn"]["depth"] % 2 == 0:
        yield f"model.lrn.depth: got {model['lrn']['depth']}; expected an odd number (a window centred on each channel)"


def feature_map_sizes_text(size: int) -> str:
    """Follow (W - F + 2P) / S + 1 through the stack until it runs out, as text for a message."""
    steps = [("conv1", 11, 4, 0), ("pool1", 3, 2, 0), ("conv2", 5, 1, 2), ("pool2", 3, 2, 0),
             ("conv3-5", 3, 1, 1), ("pool5", 3, 2, 0)]
    parts = [str(size)]
    for name, kernel, stride, padding in steps:
        try:
            size = conv_output_size(size, kernel, stride, padding)
        except ValueError:
            parts.append(f"{name} does not fit")
            break
        parts.append(f"{name} {size}")
    return " -> ".join(parts)


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
