"""Texts and their labels as tf.data pipelines: tensorflow-datasets, a folder of .txt files, a CSV
file, or synthetic reviews.

Every source yields (text, label) pairs: a raw string and 0 or 1 (data.class_names says which
is which). The word vocabulary is learned here from the training texts only, and handed to the
model, which keeps it: the validation and test texts never shape it.
"""

from __future__ import annotations

import csv
import io
import sys
from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .runtime.data_sources import DataError, Datasets, load_tfds_splits, pipeline, real_or_synthetic
from .runtime.i18n import _
from .runtime.text_files import as_ids, hold_out, read_utf8


def load_datasets(cfg: dict, batch_size: int, even_batches: bool = False) -> Datasets:
    """The train / validation / test pipelines named by `data.source`, batched by `batch_size`.

    even_batches: every training and validation batch is full (needed with several replicas).
    """
    loaders = {"tfds": _from_tfds, "folder": _from_folders, "csv": _from_csv, "synthetic": _from_synthetic}
    source = cfg["data"]["source"]
    if source == "auto":
        load = partial(real_or_synthetic, partial(_from_tfds, cfg), partial(_from_synthetic, cfg))
    else:
        load = partial(loaders[source], cfg)
    splits = load()
    return _batched(splits, cfg, batch_size, even_batches)


def make_vectorizer(cfg: dict, vocabulary: list[str] | None = None) -> keras.layers.TextVectorization:
    """Text -> model.sequence_length word ids (0 = padding, 1 = unknown word); learns a vocabulary by `adapt`
    when none is given."""
    model = cfg["model"]
    standardize = None if model["standardize"] == "none" else model["standardize"]
    return keras.layers.TextVectorization(max_tokens=model["vocabulary_size"], standardize=standardize,
                                          output_sequence_length=model["sequence_length"], vocabulary=vocabulary,
                                          name="vectorize")


def _batched(splits: Datasets, cfg: dict, batch_size: int, even_batches: bool) -> Datasets:
    """Learn the vocabulary from the training texts, turn the training and validation texts into word
    ids, and batch every split. The test split stays text: it is scored by the saved model."""
    data = cfg["data"]
    learner = make_vectorizer(cfg)
    learner.adapt(splits.train.map(lambda text, label: text).batch(1024))
    splits.adapted = {"vocabulary": learner.get_vocabulary()}
    vectorize = make_vectorizer(cfg, splits.adapted["vocabulary"])

    def to_ids(texts, labels):
        return vectorize(texts), labels

    splits.train = pipeline(as_ids(splits.train, to_ids), batch_size, shuffle_buffer=data["shuffle_buffer"],
                            seed=cfg["seed"], drop_remainder=even_batches)
    if splits.validation is not None:
        splits.validation = pipeline(as_ids(splits.validation, to_ids), batch_size, drop_remainder=even_batches)
    splits.test = pipeline(splits.test, batch_size)
    return splits


def _from_lists(train: list, validation: list, test: list, source: str, cfg: dict) -> Datasets:
    def dataset(pairs: list) -> tf.data.Dataset:
        texts = np.array([text for text, _ in pairs], dtype=object)  # object, not "<U": see FACTS about str arrays
        labels = np.array([label for _, label in pairs], dtype=np.int64)
        return tf.data.Dataset.from_tensor_slices((tf.constant(texts, tf.string), labels))

    return Datasets(train=dataset(train), validation=dataset(validation) if validation else None, test=dataset(test),
                    source=source, class_names=list(cfg["data"]["class_names"]), num_train=len(train))


def _from_tfds(cfg: dict) -> Datasets:
    data = cfg["data"]
    loaded = load_tfds_splits(data["tfds_name"], data["tfds_splits"], data["data_dir"])
    train = loaded["train"]
    return Datasets(train=train, validation=loaded.get("validation"), test=loaded["test"],
                    source=f"tfds:{data['tfds_name']}", class_names=list(data["class_names"]),
                    num_train=int(train.cardinality()) if int(train.cardinality()) >= 0 else None)


def read_csv(setting: str, path: str, cfg: dict) -> list[tuple[str, int]]:
    """(text, label) pairs of a CSV file, refusing a missing column, an empty text, an unknown label or
    a quote opened and never closed (without `strict`, that text would silently swallow the rest of the file)."""
    data = cfg["data"]
    file = Path(path).expanduser()
    if not file.is_file():
        raise DataError(_("{setting}={path!r}: no such file").format(setting=setting, path=path))
    rows = csv.DictReader(io.StringIO(read_utf8(file, setting), newline=""), strict=True)
    labels = {"0": 0, "1": 1, data["class_names"][0]: 0, data["class_names"][1]: 1}
    pairs, problems, line = [], [], 1
    try:
        columns = rows.fieldnames or []
        for key in ("text_column", "label_column"):
            if data[key] not in columns:
                raise DataError(_("data.{key}={value!r}: {path} has no such column; its columns are {columns}").format(
                    key=key, value=data[key], path=path, columns=", ".join(columns) or _("(none: the file is empty)")))
        for row in rows:
            text, label = (row[data["text_column"]] or "").strip(), (row[data["label_column"]] or "").strip()
            if not text:
                problems.append(_("line {line}: empty text").format(line=rows.line_num))
            elif label not in labels:
                problems.append(_("line {line}: unknown label {label!r}").format(line=rows.line_num, label=label))
            else:
                pairs.append((text, labels[label]))
            line = rows.line_num + 1  # where the next row starts
    except csv.Error as error:
        raise DataError(_("{setting}={path!r}: not valid CSV in the row that starts on line {line} ({error}); a text "
                          "holding commas, quotes or line breaks must be in quotes, each quote inside it doubled")
                        .format(setting=setting, path=path, line=line, error=error)) from None
    if problems:
        shown = "; ".join(problems[:5])
        if len(problems) > 5:
            shown = _("{shown}; and {count} more").format(shown=shown, count=len(problems) - 5)
        raise DataError(_("{setting}={path!r}: {count} bad rows ({shown}); labels may be {labels}").format(
            setting=setting, path=path, count=len(problems), shown=shown, labels=", ".join(labels)))
    if not pairs:
        raise DataError(_("{setting}={path!r}: no rows under the header").format(setting=setting, path=path))
    return pairs


def _from_csv(cfg: dict) -> Datasets:
    data = cfg["data"]
    train = read_csv("data.train_csv", data["train_csv"], cfg)
    train, validation = hold_out(train, data["validation_split"], cfg["seed"])
    if data["validation_split"] and not validation:
        raise DataError(_("data.validation_split={split}: {count} texts in data.train_csv leave none to hold out; "
                          "raise it or set it to 0").format(split=data["validation_split"], count=len(train)))
    return _from_lists(train, validation, read_csv("data.test_csv", data["test_csv"], cfg), "csv", cfg)


def scan_folder(setting: str, folder: str, class_names: list[str]) -> int:
    """Check every .txt file Keras would read: UTF-8, not empty. Returns how many there are.

    Keras would read a Latin-1 file as garbage and an empty one as an empty review without a word,
    so each file is read once here and the problems are listed by name before training.
    """
    root = Path(folder).expanduser()
    if not root.is_dir():
        raise DataError(_("{setting}={folder!r}: no such folder").format(setting=setting, folder=folder))
    count, empty, skipped = 0, [], 0
    for name in class_names:
        if not (root / name).is_dir():
            found = sorted(path.name for path in root.iterdir() if path.is_dir())
            raise DataError(_("{setting}={folder!r}: no sub-folder {name!r} for label {name!r} (data.class_names="
                              "{class_names}); its sub-folders are {found}").format(
                setting=setting, folder=folder, name=name, class_names=list(class_names),
                found=", ".join(found) or _("(none)")))
        files = sorted(path for path in (root / name).rglob("*") if path.is_file())
        texts = [path for path in files if path.suffix == ".txt"]
        skipped += len(files) - len(texts)
        if not texts:
            raise DataError(_("{setting}={folder!r}: sub-folder {name!r} has no .txt files").format(
                setting=setting, folder=folder, name=name))
        for path in texts:
            if not read_utf8(path, setting).strip():
                empty.append(path)
        count += len(texts)
    if empty:
        shown = ", ".join(str(path) for path in empty[:3]) + (" ..." if len(empty) > 3 else "")
        raise DataError(_("{setting}={folder!r}: {count} empty texts ({shown}); remove them or write something")
                        .format(setting=setting, folder=folder, count=len(empty), shown=shown))
    if skipped:
        print(_("note: {setting}: skipped {count} files that are not .txt").format(setting=setting, count=skipped),
              file=sys.stderr)
    return count


def _from_folders(cfg: dict) -> Datasets:
    data, class_names = cfg["data"], list(cfg["data"]["class_names"])
    count = scan_folder("data.train_dir", data["train_dir"], class_names)
    if data["validation_split"] and int(count * data["validation_split"]) == 0:
        raise DataError(_("data.validation_split={split}: {count} texts in data.train_dir leave none to hold out; "
                          "raise it or set it to 0").format(split=data["validation_split"], count=count))
    scan_folder("data.test_dir", data["test_dir"], class_names)

    def read(folder: str, **options):
        # class_names picks the label folders (aclImdb's train/unsup/ is left out) and fixes their order.
        return keras.utils.text_dataset_from_directory(Path(folder).expanduser(), labels="inferred", label_mode="int",
                                                       class_names=class_names, batch_size=None, seed=cfg["seed"],
                                                       **options)

    if data["validation_split"]:
        train, validation = read(data["train_dir"], validation_split=data["validation_split"], subset="both")
    else:
        train, validation = read(data["train_dir"]), None
    return Datasets(train=train, validation=validation, test=read(data["test_dir"], shuffle=False), source="folder",
                    class_names=class_names, num_train=int(train.cardinality()))


# Made-up reviews: filler words around one to three words that carry the label.
POSITIVE = ("good", "great", "wonderful", "superb", "moving", "funny", "brilliant", "charming")
NEGATIVE = ("bad", "awful", "dull", "boring", "weak", "tedious", "clumsy", "bland")
FILLER = ("the", "film", "movie", "story", "was", "is", "a", "plot", "acting", "and", "with", "its", "cast", "really",
          "quite", "script", "this", "ending", "music", "scenes")


def synthetic_reviews(count: int, seed: int) -> list[tuple[str, int]]:
    """Learnable stand-in reviews, the same for the same seed: for smoke tests without a download."""
    rng = np.random.default_rng(seed)
    reviews = []
    for _review in range(count):
        label = int(rng.integers(0, 2))
        words = list(rng.choice(FILLER, rng.integers(6, 25)))
        for _word in range(rng.integers(1, 4)):
            words.insert(int(rng.integers(0, len(words) + 1)), str(rng.choice(POSITIVE if label else NEGATIVE)))
        reviews.append((" ".join(words), label))
    return reviews


def _from_synthetic(cfg: dict) -> Datasets:
    data = cfg["data"]
    train, validation = hold_out(synthetic_reviews(data["synthetic_examples"], cfg["seed"]), data["validation_split"],
                                 cfg["seed"])
    test = synthetic_reviews(max(data["synthetic_examples"] // 5, 1), cfg["seed"] + 1)
    return _from_lists(train, validation, test, "synthetic", cfg)


def read_texts(texts: list[str], file: Path | None) -> list[str]:
    """The texts `predict` was given: on the command line, and one per line of `file` (blank lines skipped)."""
    texts = list(texts)
    if file is not None:
        if not file.is_file():
            raise DataError(_("--file={path!r}: no such file").format(path=str(file)))
        texts += [line.strip() for line in read_utf8(file, "--file").splitlines() if line.strip()]
    if not texts or not all(text.strip() for text in texts):
        raise DataError(_("predict: expected at least one non-empty text, as an argument or with --file FILE"))
    return texts
