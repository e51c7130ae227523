"""Sentence pairs as tf.data pipelines: tensorflow-datasets, a tab-separated file, or a toy task.

Training and validation batches are ((source ids, target ids in), target ids out): the target
ids in start with [start], the ids out are the same words shifted by one and closed by [end], so
that at each position the decoder learns to predict the next word (teacher forcing). The test
split stays as raw (source, reference) text pairs: BLEU compares translations with the references
as written. The vocabularies are learned from the training pairs only. Words become ids here, in
the pipeline, not in the model: string tensors cannot be split between the replicas of a
MirroredStrategy (tensorflow/tensorflow#80951).
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import tokens
from .runtime.data_sources import DataError, Datasets, load_tfds_splits, pipeline, real_or_synthetic
from .runtime.i18n import _
from .runtime.text_files import as_ids, hold_out, read_utf8


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train / validation / test pipelines named by `data.source`, batched by `batch_size`.

    even_batches: every training and validation batch is full (needed with several replicas).
    """
    loaders = {"tfds": _from_tfds, "tsv": _from_tsv, "synthetic": _from_synthetic}
    source = cfg["data"]["source"]
    if source == "auto":
        return _batched(real_or_synthetic(partial(_from_tfds, cfg), partial(_from_synthetic, cfg)), cfg, batch_size,
                        even_batches)
    return _batched(loaders[source](cfg), cfg, batch_size, even_batches)


def _batched(splits: Datasets, cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    """Learn both vocabularies from the training pairs, then batch: teacher-forcing pairs for training."""
    data, model = cfg["data"], cfg["model"]
    texts = splits.train.batch(1024)
    source_words = tokens.source_vectorizer(cfg)
    source_words.adapt(texts.map(lambda source, target: source))
    source_ids = tokens.source_vectorizer(cfg, source_words.get_vocabulary())
    target_words = keras.layers.TextVectorization(max_tokens=model["target_vocabulary_size"],
                                                  standardize=tokens.standardize)
    target_words.adapt(texts.map(lambda source, target: target))
    vocabulary = tokens.target_vocabulary(target_words.get_vocabulary(), model["target_vocabulary_size"])
    to_ids = keras.layers.TextVectorization(standardize=tokens.standardize, vocabulary=vocabulary, ragged=True)
    longest = model["max_target_length"]

    def teacher_forcing(sources, targets):
        """Pairs as ids; each target's ids as long as its words (pipeline pads them to the longest of a batch)."""
        words = to_ids(targets)[:, : longest - 1]  # room for [start] / [end]
        edge = tf.ones_like(words[:, :1])
        target_in = tf.concat([edge * tokens.START_ID, words], axis=1)
        target_out = tf.concat([words, edge * tokens.END_ID], axis=1)
        return (source_ids(sources), target_in), target_out

    train = as_ids(splits.train, teacher_forcing)
    splits.adapted = {"source_vocabulary": source_words.get_vocabulary(),
                      "target_word_counts": target_word_counts(train, model["target_vocabulary_size"])}
    splits.class_names = vocabulary  # what each of the model's outputs means: a target word
    splits.train = pipeline(train, batch_size, shuffle_buffer=data["shuffle_buffer"], seed=cfg["seed"],
                            drop_remainder=even_batches, padded=True)
    if splits.validation is not None:
        splits.validation = pipeline(as_ids(splits.validation, teacher_forcing), batch_size,
                                     drop_remainder=even_batches, padded=True)
    splits.test = pipeline(splits.test, batch_size)
    return splits


def target_word_counts(train: tf.data.Dataset, size: int) -> list[int]:
    """How often each target id is the word to predict in the training pairs ([end] once per sentence, no padding)."""
    counts = np.zeros(size, dtype=np.int64)
    for _sources, target_out in train.padded_batch(1024):
        ids = target_out.numpy().ravel()
        counts += np.bincount(ids[ids != 0], minlength=size)
    return counts.tolist()


def _from_pairs(train: list, validation: list, test: list, source: str) -> Datasets:
    def dataset(pairs: list) -> tf.data.Dataset:
        sources = np.array([s for s, _ in pairs], dtype=object)  # object, not "<U": see FACTS about str arrays
        targets = np.array([t for _, t in pairs], dtype=object)
        return tf.data.Dataset.from_tensor_slices((tf.constant(sources, tf.string), tf.constant(targets, tf.string)))

    return Datasets(train=dataset(train), validation=dataset(validation) if validation else None, test=dataset(test),
                    source=source, class_names=[], num_train=len(train))


def _from_tfds(cfg: dict) -> Datasets:
    data = cfg["data"]
    loaded = load_tfds_splits(data["tfds_name"], data["tfds_splits"], data["data_dir"])
    train = loaded["train"]
    return Datasets(train=train, validation=loaded.get("validation"), test=loaded["test"],
                    source=f"tfds:{data['tfds_name']}", class_names=[],
                    num_train=int(train.cardinality()) if int(train.cardinality()) >= 0 else None)


def read_tsv(setting: str, path: str, swap: bool = False) -> list[tuple[str, str]]:
    """(source, target) pairs of a tab-separated file; columns after the second (Anki's attribution) are ignored.

    A line without a tab, or with an empty side, is skipped, counted and reported with its line
    number; a file with no good line at all is refused.
    """
    file = Path(path).expanduser()
    if not file.is_file():
        raise DataError(_("{setting}={path!r}: no such file").format(setting=setting, path=path))
    pairs, malformed = [], []
    for number, line in enumerate(read_utf8(file, setting).splitlines(), start=1):
        if not line.strip():
            continue
        columns = [column.strip() for column in line.split("\t")]
        if len(columns) < 2 or not columns[0] or not columns[1]:
            malformed.append(number)
            continue
        pairs.append((columns[1], columns[0]) if swap else (columns[0], columns[1]))
    if malformed:
        shown = ", ".join(map(str, malformed[:5])) + (" ..." if len(malformed) > 5 else "")
        print(_("note: {setting}: skipped {count} malformed lines (line {lines}); each line needs source<TAB>target")
              .format(setting=setting, count=len(malformed), lines=shown), file=sys.stderr)
    if not pairs:
        refusal = _("{setting}={path!r}: no sentence pairs (expected source<TAB>target on each line; {count} malformed "
                    "lines)") if malformed else \
            _("{setting}={path!r}: no sentence pairs (expected source<TAB>target on each line)")
        raise DataError(refusal.format(setting=setting, path=path, count=len(malformed)))
    return pairs


def _from_tsv(cfg: dict) -> Datasets:
    data = cfg["data"]
    train = read_tsv("data.train_tsv", data["train_tsv"], data["swap_columns"])
    train, validation = hold_out(train, data["validation_split"], cfg["seed"])
    if data["validation_split"] and not validation:
        raise DataError(_("data.validation_split={split}: {count} pairs in data.train_tsv leave none to hold out; "
                          "raise it or set it to 0").format(split=data["validation_split"], count=len(train)))
    return _from_pairs(train, validation, read_tsv("data.test_tsv", data["test_tsv"], data["swap_columns"]), "tsv")


# The toy task's words: short, distinct, and nothing like a real language.
TOY_WORDS = tuple(f"w{index}" for index in range(20))


def synthetic_pairs(count: int, task: str, seed: int) -> list[tuple[str, str]]:
    """Pairs of the toy task, the same for the same seed: 3 to 8 toy words, and the same words reversed
    (or copied). Learnable in a short run, so a smoke test sees the loss fall and BLEU rise."""
    rng = np.random.default_rng(seed)
    pairs = []
    for _pair in range(count):
        words = list(rng.choice(TOY_WORDS, rng.integers(3, 9)))
        pairs.append((" ".join(words), " ".join(words[::-1] if task == "reverse" else words)))
    return pairs


def _from_synthetic(cfg: dict) -> Datasets:
    data = cfg["data"]
    pairs = synthetic_pairs(data["synthetic_examples"], data["synthetic_task"], cfg["seed"])
    train, validation = hold_out(pairs, data["validation_split"], cfg["seed"])
    test = synthetic_pairs(max(data["synthetic_examples"] // 5, 1), data["synthetic_task"], cfg["seed"] + 1)
    return _from_pairs(train, validation, test, "synthetic")
