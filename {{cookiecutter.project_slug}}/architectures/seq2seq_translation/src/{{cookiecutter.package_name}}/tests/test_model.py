"""The translator against its paper version: parameters per layer and per gate, masking, and the
step-by-step decoder computing what the teacher-forced model computes."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from .. import architecture, recurrent, schema, tokens
from ..decoding import Translator
from ..model import LOSS, build_model, saved_model
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH

SMALL = ["model.source_vocabulary_size=30", "model.target_vocabulary_size=12", "model.max_source_length=6",
         "model.max_target_length=5", "model.embedding_dim=6", "model.units=8", "model.dropout=0"]
SOURCE_WORDS = ["", "[UNK]", "ein", "mann", "hund", "."]
TARGET_WORDS = tokens.target_vocabulary(["", "[UNK]", "a", "man", "dog", "."], 12)


def small(*overrides: str) -> dict:
    return schema.load(CONFIG_PATH, [*SMALL, *overrides])


@pytest.mark.parametrize("attention", ["none", "luong", "bahdanau"])
@pytest.mark.parametrize("cell", recurrent.CELLS)
def test_table_gates_and_keras_agree(cell, attention):
    cfg = small(f"model.rnn_cell={cell}", f"model.attention={attention}")
    model = build_model(cfg)
    assert total_params(architecture.layer_plan(cfg)) == model.count_params()
    for name in ("encoder", "decoder"):
        per_gate = recurrent.gate_params(cell, 6, 8)
        assert sorted(per_gate) == sorted(gate for gate, _ in recurrent.GATES[cell])
        assert sum(per_gate.values()) == model.get_layer(name).count_params()
    assert saved_model(model, cfg, SOURCE_WORDS).count_params() == model.count_params(), "the lookup has no weights"


def test_explain_prints_encoder_and_decoder_gates(capsys):
    from .conftest import main

    assert main(["explain", "--config", str(CONFIG_PATH), "model.rnn_cell=gru"]) == 0
    out = capsys.readouterr().out
    assert out.count("reset gate: W 128x256 + U 256x256 + b + b' -> 98,816 parameters") == 2  # 256 x (128 + 256 + 2)
    assert "encoder: GRU cell" in out and "decoder: GRU cell" in out and "agrees with the table" in out


def test_padding_after_the_end_changes_nothing():
    """The loss of a batch is the same with or without extra padding columns: padded positions are masked."""
    model = saved_model(build_model(small()), small(), SOURCE_WORDS)
    sources = tf.constant(["ein mann .", "ein hund"])
    target_in = np.array([[2, 5, 6, 7], [2, 5, 8, 0]])
    target_out = np.array([[5, 6, 7, 3], [5, 8, 3, 0]])
    short = LOSS(target_out, model([sources, tf.constant(target_in)]))
    wider = ((0, 0), (0, 3))
    padded = LOSS(np.pad(target_out, wider), model([sources, tf.constant(np.pad(target_in, wider))]))
    np.testing.assert_allclose(float(short), float(padded), rtol=1e-6)


@pytest.mark.parametrize("cell", recurrent.CELLS)
@pytest.mark.parametrize("attention", ["none", "luong", "bahdanau"])
def test_greedy_decoding_follows_the_trained_model(attention, cell, tmp_path):
    """Each word greedy decoding picks is the argmax the teacher-forced model gives after the words before it,
    also after a save/load round trip (the decoder finds the loaded model's layers by name), with either cell."""
    keras.utils.set_random_seed(1)
    cfg = small(f"model.attention={attention}", f"model.rnn_cell={cell}")
    model = saved_model(build_model(cfg), cfg, SOURCE_WORDS)
    model.save(tmp_path / "model.keras")
    model = keras.models.load_model(tmp_path / "model.keras")
    sources = ["ein mann .", "ein hund", "Mann!"]
    words, weights = Translator(model, TARGET_WORDS, max_length=5).translate(sources, beam_width=1)
    for source, sentence, seen in zip(sources, words, weights, strict=True):
        ids = [TARGET_WORDS.index(word) for word in sentence]
        logits = np.asarray(model([tf.constant([source]), tf.constant([[tokens.START_ID, *ids]])]))[0]
        logits = logits[:, : len(TARGET_WORDS)].copy()
        logits[:, [0, tokens.START_ID]] = -np.inf  # padding and [start] are never a next word
        chosen = logits.argmax(axis=-1)
        assert list(chosen[: len(ids)]) == ids
        assert len(ids) == 5 or chosen[len(ids)] == tokens.END_ID, "stops at [end] or at the length limit"
        if attention != "none":
            assert np.allclose(seen.sum(axis=1), 1.0, atol=1e-5), "attention weights are a distribution"
            assert np.allclose(seen[:, len(tokens.standardize(source).numpy().split()):], 0.0, atol=1e-6), \
                "padding gets no attention"


def test_beam_search_returns_complete_translations():
    keras.utils.set_random_seed(2)
    model = saved_model(build_model(small()), small(), SOURCE_WORDS)
    translator = Translator(model, TARGET_WORDS, max_length=5)
    for width in (1, 3, 12):
        words, weights = translator.translate(["ein mann .", "hund"], beam_width=width)
        assert len(words) == 2 and all(len(sentence) <= 5 for sentence in words)
        assert all(word not in (tokens.START, tokens.END, tokens.PADDING) for sentence in words for word in sentence)
        assert [len(w) for w in weights] == [len(sentence) for sentence in words]


def test_standardize_splits_punctuation_and_keeps_words_whole():
    text = tokens.standardize(tf.constant("Ein Mann's T-Shirt, GRÜN!")).numpy().decode()
    assert text.split() == ["ein", "mann's", "t-shirt", ",", "grün", "!"]


def test_detokenize_writes_text_as_people_do():
    assert tokens.detokenize(["a", "man's", "t-shirt", ",", "green", "!"], "en") == "a man's t-shirt, green!"
    assert tokens.detokenize(["he", "said", '"', "hi", '"', "."], "en") == 'he said "hi".'


def test_the_next_word_layer_starts_at_the_training_words_frequencies():
    counts = [0, 0, 0, 10, 30, 60, 0, 0, 0, 0, 0, 0]  # [end] and three words; the other ids never come next
    bias = build_model(small(), target_word_counts=counts).get_layer("next_word").bias.numpy()
    probabilities = np.exp(bias) / np.exp(bias).sum()
    np.testing.assert_allclose(probabilities[3:6], [0.1, 0.3, 0.6], rtol=1e-3)
    assert probabilities[[0, 1, 2, 6]].max() < 1e-4
    assert not build_model(small()).get_layer("next_word").bias.numpy().any(), "no counts: a zero bias"

