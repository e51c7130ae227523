"""Every source of sentence pairs, teacher-forcing batches, and the message each kind of bad file gets."""

from __future__ import annotations

from pathlib import Path

import pytest
import tensorflow_datasets as tfds

from .. import data, schema, tokens
from ..runtime.data_sources import DataError
from .conftest import CONFIG_PATH, PROJECT_ROOT

MULTI30K = PROJECT_ROOT.parent / "shared" / "data" / "translation-multi30k"


def config(*overrides: str) -> dict:
    return schema.load(CONFIG_PATH, ["model.source_vocabulary_size=50", "model.target_vocabulary_size=50",
                                     "model.max_target_length=6", "data.shuffle_buffer=64", *overrides])


def tsv_config(tmp_path: Path, train: str, test: str = "Hallo.\tHello.\n", *extra: str) -> dict:
    (tmp_path / "train.tsv").write_text(train, encoding="utf-8")
    (tmp_path / "test.tsv").write_text(test, encoding="utf-8")
    return config("data.source=tsv", f"data.train_tsv={tmp_path / 'train.tsv'}",
                  f"data.test_tsv={tmp_path / 'test.tsv'}", "data.validation_split=0", *extra)


def test_tsv_pairs_become_teacher_forcing_batches(tmp_path):
    train = "Ein Hund.\tA dog.\tCC-BY 2.0 (France) Attribution: tatoeba.org\nEin Mann rennt.\tA man runs.\n"
    datasets = data.load_datasets(tsv_config(tmp_path, train), batch_size=2)
    vocabulary = datasets.class_names
    assert vocabulary[:4] == ["", "[UNK]", "[start]", "[end]"] and "dog" in vocabulary and "." in vocabulary
    assert "ein" in datasets.adapted["source_vocabulary"], "the source vocabulary is lower-cased German"
    (source_ids, target_in), target_out = next(iter(datasets.train))
    source_words = datasets.adapted["source_vocabulary"]
    for ids, row_in, row_out in zip(source_ids.numpy(), target_in.numpy(), target_out.numpy(), strict=True):
        source = " ".join(source_words[i] for i in ids if i)
        expected = {"ein hund .": ["a", "dog", "."], "ein mann rennt .": ["a", "man", "runs", "."]}[source]
        ids = [vocabulary.index(word) for word in expected]
        assert list(row_in[: len(ids) + 1]) == [tokens.START_ID, *ids], "the decoder sees [start] and the true words"
        assert list(row_out[: len(ids) + 1]) == [*ids, tokens.END_ID], "and learns each next word, then [end]"
        assert not row_in[len(ids) + 1:].any() and not row_out[len(ids) + 1:].any(), "padding after the end"
    source, reference = next(iter(datasets.test))
    assert (source.numpy().tolist(), reference.numpy().tolist()) == ([b"Hallo."], [b"Hello."])


def test_long_targets_are_cut_to_max_target_length(tmp_path):
    datasets = data.load_datasets(tsv_config(tmp_path, "a\tone two three four five six seven eight\n"), batch_size=1)
    (_, target_in), target_out = next(iter(datasets.train))
    assert target_in.shape == (1, 6) and target_out.numpy()[0, -1] == tokens.END_ID


def test_swap_columns_translates_the_second_column_into_the_first(tmp_path):
    datasets = data.load_datasets(tsv_config(tmp_path, "Go.\tGeh.\n", "Hi.\tHallo.\n", "data.swap_columns=true"),
                                  batch_size=1)
    assert next(iter(datasets.test))[0].numpy().tolist() == [b"Hallo."]
    assert "geh" in datasets.adapted["source_vocabulary"]


def test_malformed_lines_are_counted_and_reported(tmp_path, capsys):
    train = "Ein Hund.\tA dog.\nno tab here\n\nEin Mann.\t\n\tA cat.\nEine Katze.\tA cat.\n"
    datasets = data.load_datasets(tsv_config(tmp_path, train), batch_size=8)
    assert datasets.num_train == 2
    assert ("data.train_tsv: skipped 3 malformed lines (line 2, 4, 5); each line needs source<TAB>target"
            in capsys.readouterr().err)


@pytest.mark.parametrize(
    ("train", "message"),
    [("no tab\nat all\n", "no sentence pairs \\(expected source<TAB>target on each line; 2 malformed lines\\)"),
     ("", "no sentence pairs")],
)
def test_files_without_pairs_are_refused(tmp_path, train, message):
    with pytest.raises(DataError, match=message):
        data.load_datasets(tsv_config(tmp_path, train), batch_size=2)


def test_tsv_that_is_not_utf8_names_the_line(tmp_path):
    cfg = tsv_config(tmp_path, "x\ty\n")
    Path(cfg["data"]["train_tsv"]).write_bytes("Ein Hund.\tA dog.\nSüß.\tSweet.\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"data.train_tsv=.*: not UTF-8 text \(byte 0xfc on line 2\)"):
        data.load_datasets(cfg, batch_size=2)


@pytest.mark.parametrize("task", ["reverse", "copy"])
def test_synthetic_toy_tasks(task):
    pairs = data.synthetic_pairs(50, task, seed=0)
    for source, target in pairs:
        assert target.split() == (source.split()[::-1] if task == "reverse" else source.split())
        assert 3 <= len(source.split()) <= 8
    assert pairs == data.synthetic_pairs(50, task, seed=0)


def test_tfds_translation_set_through_the_real_loader(tmp_path):
    """tensorflow-datasets' mock gives random string pairs with ted_hrlr_translate/pt_to_en's element spec."""
    cfg = config("data.source=tfds", f"data.data_dir={tmp_path}")
    with tfds.testing.mock_data(num_examples=16):
        datasets = data.load_datasets(cfg, batch_size=4)
        (source_ids, target_in), target_out = next(iter(datasets.train))
    assert source_ids.dtype.name == "int64" and target_in.shape[0] == 4
    assert (target_in.numpy()[:, 0] == tokens.START_ID).all()
    assert datasets.source == "tfds:ted_hrlr_translate/pt_to_en"


@pytest.mark.skipif(not MULTI30K.is_dir(), reason=f"Multi30k pairs not found at {MULTI30K} (no ../shared here)")
def test_real_multi30k_pairs_read_cleanly(capsys):
    train = data.read_tsv("data.train_tsv", str(MULTI30K / "train.de-en.tsv"))
    test = data.read_tsv("data.test_tsv", str(MULTI30K / "val.de-en.tsv"))
    assert (len(train), len(test)) == (29000, 1014)
    assert "malformed" not in capsys.readouterr().err
