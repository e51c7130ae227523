"""The stand-in's settings: the keys every project shares, and its own data and model keys."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .runtime import config
from .runtime.config import COMMON_FIELDS
from .runtime.fields import Field

ARCHITECTURE = "standin"

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", "which network this project trains", choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", "where the digits come from", choices=("tfds", "synthetic", "auto")),
    "data.tfds_name": Field("choice", "tensorflow-datasets name", choices=("mnist",)),
    "data.data_dir": Field("str", "tensorflow-datasets folder", optional=True),
    "data.validation_split": Field("float", "share held out", minimum=0.0, maximum=0.5),
    "data.synthetic_examples": Field("int", "size of the synthetic training set", minimum=16, maximum=1_000_000),
    "data.shuffle_buffer": Field("int", "examples mixed at a time", minimum=1),
    "model.hidden_units": Field("int", "width of the hidden layer", minimum=1, maximum=4096),
    "model.dropout": Field("float", "share of hidden units dropped", minimum=0.0, maximum=1.0, below_maximum=True),
    "model.pretrain_epochs": Field("int", "epochs of the helper network before fit (0 = none)", minimum=0),
}


def check(cfg: dict) -> Iterable[str]:
    yield from config.check_common(cfg)


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
