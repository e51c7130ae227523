"""Every text source, and the message each kind of bad file gets."""

from __future__ import annotations

from pathlib import Path

import pytest
import tensorflow_datasets as tfds

from .. import data, schema
from ..runtime.data_sources import DataError
from .conftest import CONFIG_PATH, PROJECT_ROOT

MR = PROJECT_ROOT.parent / "shared" / "data" / "sentiment-mr"


def config(*overrides: str) -> dict:
    return schema.load(CONFIG_PATH, ["model.vocabulary_size=100", "model.sequence_length=16", "data.shuffle_buffer=64",
                                     *overrides])


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def csv_config(tmp_path: Path, train: str, test: str = "text,label\nfine film,1\ndull film,0\n", *extra: str) -> dict:
    return config("data.source=csv", f"data.train_csv={write_csv(tmp_path / 'train.csv', train)}",
                  f"data.test_csv={write_csv(tmp_path / 'test.csv', test)}", *extra)


def test_csv_texts_labels_and_vocabulary(tmp_path):
    rows = "".join(f'"a good film, {i}",1\nbad film {i},negative\n' for i in range(10))
    datasets = data.load_datasets(csv_config(tmp_path, "text,label\n" + rows, "text,label\nfine film,1\n",
                                             "data.validation_split=0.2"), batch_size=4)
    assert datasets.num_train == 16 and datasets.source == "csv"
    texts, labels = next(iter(datasets.test))
    assert texts.numpy().tolist() == [b"fine film"] and labels.numpy().tolist() == [1]
    ids, _ = next(iter(datasets.train))
    assert ids.shape == (4, 16) and ids.dtype.name == "int64", "training reads word ids, cut or padded to 16"
    train_labels = [int(label) for _, batch in datasets.train for label in batch]
    assert sorted(train_labels + [int(x) for _, b in datasets.validation for x in b]) == [0] * 10 + [1] * 10
    vocabulary = datasets.adapted["vocabulary"]
    assert vocabulary[:3] == ["", "[UNK]", "film"], "most frequent first"
    assert "good" in vocabulary and "good," not in vocabulary, "punctuation stripped"


def test_csv_column_names_are_configurable(tmp_path):
    cfg = csv_config(tmp_path, "review,stars\nok,1\nno,0\n", "review,stars\nok,1\n", "data.text_column=review",
                     "data.label_column=stars", "data.validation_split=0")
    assert data.load_datasets(cfg, batch_size=2).num_train == 2


@pytest.mark.parametrize(
    ("train", "message"),
    [
        ("words,label\nok,1\n", "data.text_column='text': .* has no such column; its columns are words, label"),
        ("", "data.text_column='text': .* has no such column; its columns are \\(none: the file is empty\\)"),
        ("text,label\nok,1\n  ,0\nfine,maybe\n", "2 bad rows \\(line 3: empty text; line 4: unknown label 'maybe'\\); "
                                                "labels may be 0, 1, negative, positive"),
        ("text,label\n", "no rows under the header"),
    ],
)
def test_bad_csv_files_are_refused_by_line(tmp_path, train, message):
    with pytest.raises(DataError, match=message):
        data.load_datasets(csv_config(tmp_path, train), batch_size=2)


def test_csv_that_is_not_utf8_names_the_line(tmp_path):
    cfg = csv_config(tmp_path, "text,label\nok,1\n")
    write_csv(Path(cfg["data"]["train_csv"]), "text,label\nok,1\nun film très ennuyeux,0\n", encoding="latin-1")
    with pytest.raises(DataError, match=r"data.train_csv=.*: not UTF-8 text \(byte 0xe8 on line 3\); save the file"):
        data.load_datasets(cfg, batch_size=2)


@pytest.mark.parametrize(("padding", "reason"), [(10, "unexpected end of data"),
                                                (200_000, r"field larger than field limit \(131072\)")])
def test_csv_with_a_quote_never_closed_names_the_row(tmp_path, padding, reason):
    train = 'text,label\nok,1\n"it opens a quote, and never closes it,0\n' + "and so on " * (padding // 10) + ",1\n"
    with pytest.raises(DataError, match=r"data.train_csv=.*: not valid CSV in the row that starts on line 3 \("
                                        + reason + r"\); a text holding commas, quotes or line breaks must be in"):
        data.load_datasets(csv_config(tmp_path, train), batch_size=2)


def make_folder(root: Path, texts: dict[str, list[str]]) -> Path:
    for label, items in texts.items():
        (root / label).mkdir(parents=True)
        for index, text in enumerate(items):
            (root / label / f"{index}.txt").write_text(text, encoding="utf-8")
    return root


def folder_config(tmp_path: Path, train: dict, test: dict | None = None, *extra: str) -> dict:
    test = test or {"neg": ["dull"], "pos": ["fine"]}
    return config("data.source=folder", "data.class_names=[neg, pos]", "data.validation_split=0",
                  f"data.train_dir={make_folder(tmp_path / 'train', train)}",
                  f"data.test_dir={make_folder(tmp_path / 'test', test)}", *extra)


def test_folder_in_the_aclimdb_layout(tmp_path, capsys):
    cfg = folder_config(tmp_path, {"neg": ["bad film", "dull"], "pos": ["great film"], "unsup": ["no label"]})
    (Path(cfg["data"]["train_dir"]) / "pos" / "notes.md").write_text("not a review")
    datasets = data.load_datasets(cfg, batch_size=8)
    assert datasets.class_names == ["neg", "pos"] and datasets.num_train == 3, "unsup/ is left out"
    assert sorted(datasets.adapted["vocabulary"]) == sorted(["", "[UNK]", "bad", "film", "dull", "great"])
    pairs = sorted((text.decode(), int(label)) for texts, labels in datasets.test
                   for text, label in zip(texts.numpy(), labels, strict=True))
    assert pairs == [("dull", 0), ("fine", 1)]
    assert "skipped 1 files that are not .txt" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("train", "message"),
    [
        ({"neg": ["bad"], "positive": ["good"]}, "no sub-folder 'pos' for label 'pos' .* its sub-folders are neg, "
                                                 "positive"),
        ({"neg": ["bad"], "pos": ["good", "  \n"]}, "1 empty texts \\(.*pos/1.txt\\)"),
        ({"neg": ["bad"], "pos": []}, "sub-folder 'pos' has no .txt files"),
    ],
)
def test_bad_folders_are_refused_by_name(tmp_path, train, message):
    with pytest.raises(DataError, match=message):
        data.load_datasets(folder_config(tmp_path, train), batch_size=2)


def test_folder_file_that_is_not_utf8(tmp_path):
    cfg = folder_config(tmp_path, {"neg": ["bad"], "pos": ["good"]})
    (Path(cfg["data"]["train_dir"]) / "neg" / "latin.txt").write_bytes("très ennuyeux".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin.txt': not UTF-8 text \(byte 0xe8 on line 1\)"):
        data.load_datasets(cfg, batch_size=2)


def test_tfds_imdb_reviews_through_the_real_loader(tmp_path):
    """tensorflow-datasets' mock gives random (text, label) pairs with imdb_reviews' real element spec."""
    cfg = config("data.source=tfds", f"data.data_dir={tmp_path}")
    with tfds.testing.mock_data(num_examples=24):
        datasets = data.load_datasets(cfg, batch_size=8)
        ids, labels = next(iter(datasets.train))
        texts, _ = next(iter(datasets.test))
    assert ids.shape == (8, 16) and labels.shape == (8,) and texts.dtype.name == "string"
    assert datasets.source == "tfds:imdb_reviews" and len(datasets.adapted["vocabulary"]) > 2


@pytest.mark.skipif(not MR.is_dir(), reason=f"real movie-review sentences not found at {MR} (no ../shared here)")
def test_real_movie_review_sentences_load():
    cfg = config("data.source=csv", f"data.train_csv={MR / 'train.csv'}", f"data.test_csv={MR / 'test.csv'}",
                 "data.validation_split=0")
    train = data.read_csv("data.train_csv", cfg["data"]["train_csv"], cfg)
    test = data.read_csv("data.test_csv", cfg["data"]["test_csv"], cfg)
    assert (len(train), len(test)) == (9596, 533)
    positives = [sum(label for _, label in split) for split in (train, test)]
    assert positives == [4804, 267], "about half of each split is positive (label 1)"
