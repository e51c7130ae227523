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

ARCHITECTURE = "seq2seq_translation"
# Ids the target vocabulary always starts with: padding, unknown word, start and end of a sentence.
RESERVED_TARGET_IDS = 4

FIELDS: dict[str, Field] = {
    "architecture": Field("choice", N_("which network this project trains"), choices=(ARCHITECTURE,)),
    **COMMON_FIELDS,
    "data.source": Field("choice", N_("where the sentence pairs come from"),
                         choices=("tfds", "tsv", "synthetic", "auto")),
    "data.tfds_name": Field("str", N_("tensorflow-datasets translation set with (source, target) pairs")),
    "data.tfds_splits.train": Field("str", N_("tfds split to train on")),
    "data.tfds_splits.validation": Field("str", N_("tfds split to watch over-fitting on"), optional=True),
    "data.tfds_splits.test": Field("str", N_("tfds split for the final score")),
    "data.data_dir": Field("str", N_("tensorflow-datasets folder (null = ~/tensorflow_datasets)"), optional=True),
    "data.train_tsv": Field("str", N_("tab-separated training pairs"), optional=True),
    "data.test_tsv": Field("str", N_("tab-separated test pairs"), optional=True),
    "data.swap_columns": Field("bool", N_("translate the second column into the first")),
    "data.target_language": Field("str", N_("language code of the target side (en, de, fr, ...): the Moses "
                                            "detokenizer's rules for joining translated words")),
    "data.validation_split": Field("float", N_("share of the training pairs held out"), minimum=0.0, maximum=0.5),
    "data.synthetic_task": Field("choice", N_("the toy task"), choices=("reverse", "copy")),
    "data.synthetic_examples": Field("int", N_("size of the synthetic training set"), minimum=16,
                                     maximum=1_000_000),
    "data.shuffle_buffer": Field("int", N_("pairs mixed at a time when shuffling"), minimum=1),
    "model.rnn_cell": Field("choice", N_("the recurrent cell"), choices=CELLS),
    "model.source_vocabulary_size": Field("int", N_("source words with an id, [UNK] and padding included"),
                                          minimum=3, maximum=10_000_000),
    "model.target_vocabulary_size": Field("int", N_("target words with an id, [UNK], padding, [start], [end] "
                                                    "included"), minimum=RESERVED_TARGET_IDS + 1, maximum=10_000_000),
    "model.max_source_length": Field("int", N_("source words kept"), minimum=1, maximum=10_000),
    "model.max_target_length": Field("int", N_("target words kept, and the longest translation"), minimum=1,
                                     maximum=10_000),
    "model.embedding_dim": Field("int", N_("size of each word vector"), minimum=1, maximum=100_000),
    "model.units": Field("int", N_("size of the encoder's and decoder's state"), minimum=1, maximum=100_000),
    "model.attention": Field("choice", N_("how the decoder looks back at the source"),
                             choices=("luong", "bahdanau", "none")),
    "model.dropout": Field("float", N_("share of decoder outputs dropped while training"), minimum=0.0,
                           maximum=1.0, below_maximum=True),
    "model.beam_width": Field("int", N_("translations kept per decoding step (1 = greedy)"), minimum=1,
                              maximum=100),
}


def check(cfg: dict) -> Iterable[str]:
    """Combinations of values that are each allowed alone but not together."""
    yield from config.check_common(cfg)
    data = cfg["data"]
    if data["source"] == "tsv":
        for key in ("train_tsv", "test_tsv"):
            if data[key] is None:
                yield _("data.{key}: got null; data.source=tsv needs a file of tab-separated sentence pairs").format(
                    key=key)
            elif not Path(data[key]).expanduser().is_file():
                yield _("data.{key}: got {value!r}; no such file").format(key=key, value=data[key])


def load(path: str | Path = "config.yaml", overrides: Iterable[str] = ()) -> dict:
    return config.load(path, overrides, FIELDS, check)
