"""The `data.*` keys of the projects that train on MNIST-like digits, and their cross-checks.

Standard library only, like `runtime/config.py`: `schema.py` includes these and the generation hook imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .runtime.fields import Field
from .runtime.i18n import N_, _

DATA_FIELDS: dict[str, Field] = {
    "data.source": Field("choice", N_("where the digits come from"), choices=("tfds", "npz", "synthetic", "auto")),
    "data.tfds_name": Field("choice", N_("tensorflow-datasets name"), choices=("mnist", "fashion_mnist")),
    "data.data_dir": Field("str", N_("tensorflow-datasets folder (null = ~/tensorflow_datasets)"), optional=True),
    "data.npz_path": Field("str", N_("file in Keras's mnist.npz layout"), optional=True),
    "data.validation_split": Field("float", N_("share of the training set held out"), minimum=0.0, maximum=0.5),
    "data.synthetic_examples": Field("int", N_("size of the synthetic training set"), minimum=16, maximum=10_000_000),
    "data.shuffle_buffer": Field("int", N_("examples mixed at a time when shuffling"), minimum=1),
}


def check_data(cfg: dict) -> Iterable[str]:
    data = cfg["data"]
    if data["source"] == "npz" and data["npz_path"] is None:
        yield _("data.npz_path: got null; data.source=npz needs the path of a file with x_train, y_train, x_test, "
                "y_test")
    if data["source"] == "npz" and data["npz_path"] is not None and not Path(data["npz_path"]).expanduser().is_file():
        yield _("data.npz_path: got {path!r}; no such file").format(path=data["npz_path"])
