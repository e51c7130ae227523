"""The keys of this project's `config.yaml` and the values each may take.

`runtime/config.py` does the loading and checking; this module only says what is allowed. Standard
library + PyYAML only, like `runtime/config.py`, because the generation hook imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .recurrent import CELLS
from .runtime import config
from .runtime.config import COMMON_FIELDS
from .runtime.fields import Field
from .runtime.i18n import N_, _

ARCHITECTURE = "rnn_sentiment"
STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation", "none")

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", N_("where the texts come from"),
                         choices=("tfds", "folder", "csv", "synthetic", "auto")),
    "data.tfds_name": Field("str", N_("tensorflow-datasets text set with (text, label) pairs")),
    "data.tfds_splits.train": Field("str", N_("tfds split to train on")),
    "data.tfds_splits.validation": Field("str", N_("tfds split to watch over-fitting on"), optional=True),
    "data.tfds_splits.test": Field("str", N_("tfds split for the final score")),
    "data.data_dir": Field("str", N_("tensorflow-datasets folder (null = ~/tensorflow_datasets)"), optional=True),
    "data.train_dir": Field("str", N_("folder with one sub-folder of .txt files per label"), optional=True),
    "data.test_dir": Field("str", N_("folder with the same label sub-folders, for the final score"), optional=True),
    "data.train_csv": Field("str", N_("CSV file of training texts and labels"), optional=True),
    "data.test_csv": Field("str", N_("CSV file of test texts and labels"), optional=True),
    "data.text_column": Field("str", N_("CSV column holding the texts")),
    "data.label_column": Field("str", N_("CSV column holding the labels")),
    "data.class_names": Field("str_list", N_("names of label 0 and label 1"), max_items=2),
    "data.validation_split": Field("float", N_("share of the training texts held out"), minimum=0.0, maximum=0.5),
    "data.synthetic_examples": Field("int", N_("size of the synthetic training set"), minimum=16, maximum=1_000_000),
    "data.shuffle_buffer": Field("int", N_("texts mixed at a time when shuffling"), minimum=1),
    "model.rnn_cell": Field("choice", N_("the recurrent cell"), choices=CELLS),
    "model.vocabulary_size": Field("int", N_("words with an id, [UNK] and padding included"), minimum=3,
                                   maximum=10_000_000),
    "model.sequence_length": Field("int", N_("words per text after cutting or padding"), minimum=1, maximum=100_000),
    "model.standardize": Field("choice", N_("how texts are cleaned before splitting into words"), choices=STANDARDIZE),
    "model.embedding_dim": Field("int", N_("size of each word vector"), minimum=1, maximum=100_000),
    "model.rnn_units": Field("int_list", N_("units of each recurrent layer"), minimum=1, maximum=100_000, max_items=8),
    "model.bidirectional": Field("bool", N_("read the text both ways")),
    "model.dropout": Field("float", N_("share of inputs dropped before each recurrent layer"), minimum=0.0,
                           maximum=1.0, below_maximum=True),
    "model.recurrent_dropout": Field("float", N_("share of the recurrent state dropped"), minimum=0.0, maximum=1.0,
                                     below_maximum=True),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    data = cfg["data"]
    if len(data["class_names"]) != 2 or len(set(data["class_names"])) != 2:
        yield _("data.class_names: got {value}; expected two different names, for label 0 and label 1").format(
            value=data["class_names"])
    needed = {"folder": ("train_dir", "test_dir"), "csv": ("train_csv", "test_csv")}.get(data["source"], ())
    for key in needed:
        if data[key] is None:
            yield _("data.{key}: got null; data.source={source} needs it").format(key=key, source=data["source"])
        elif data["source"] == "folder" and not Path(data[key]).expanduser().is_dir():
            yield _("data.{key}: got {value!r}; no such folder").format(key=key, value=data[key])
        elif data["source"] == "csv" and not Path(data[key]).expanduser().is_file():
            yield _("data.{key}: got {value!r}; no such file").format(key=key, value=data[key])


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
