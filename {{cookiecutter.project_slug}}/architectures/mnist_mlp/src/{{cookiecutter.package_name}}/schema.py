"""The keys of this project's `config.yaml` and the values each may take.

`config.py` does the loading and checking; this module only says what is allowed. Standard
library + PyYAML only, like `config.py`, because the generation hook imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from . import config
from .config import COMMON_FIELDS, Field

ARCHITECTURE = "mnist_mlp"

# The activation functions of the course notes, by their Keras names.
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "softsign", "softplus", "elu")

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", "which network this project trains", choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", "where the digits come from", choices=("tfds", "npz", "synthetic", "auto")),
    "data.tfds_name": Field("choice", "tensorflow-datasets name", choices=("mnist", "fashion_mnist")),
    "data.data_dir": Field("str", "tensorflow-datasets folder (null = ~/tensorflow_datasets)", optional=True),
    "data.npz_path": Field("str", "file in Keras's mnist.npz layout", optional=True),
    "data.validation_split": Field("float", "share of the training set held out", minimum=0.0, maximum=0.5),
    "data.synthetic_examples": Field("int", "size of the synthetic training set", minimum=16, maximum=10_000_000),
    "data.shuffle_buffer": Field("int", "examples mixed at a time when shuffling", minimum=1),
    "model.augment_shift": Field("float", "random shift while training, as a share of the image size",
                                 minimum=0.0, maximum=0.5),
    "model.hidden_units": Field("int_list", "width of each hidden layer", minimum=1, maximum=65_536),
    "model.activation": Field("choice", "non-linearity of the hidden layers", choices=ACTIVATIONS),
    "model.dropout": Field("float", "share of hidden units dropped while training", minimum=0.0, maximum=1.0,
                           below_maximum=True),
    "model.l1": Field("float", "L1 penalty on hidden weights", minimum=0.0, maximum=1.0),
    "model.l2": Field("float", "L2 penalty on hidden weights", minimum=0.0, maximum=1.0),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    data = cfg["data"]
    if data["source"] == "npz" and data["npz_path"] is None:
        yield "data.npz_path: got null; data.source=npz needs the path of a file with x_train, y_train, x_test, y_test"
    if data["source"] == "npz" and data["npz_path"] is not None and not Path(data["npz_path"]).expanduser().is_file():
        yield f"data.npz_path: got {data['npz_path']!r}; no such file"


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
