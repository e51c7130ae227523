"""The sentiment network against its paper version: shapes, parameters per layer and per gate, saving."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from .. import architecture, recurrent, schema
from ..data import make_vectorizer
from ..evaluation import binary_scores, by_length
from ..model import build_model, saved_model
from ..runtime.shapes import total_params
from .conftest import CONFIG_PATH

VARIANTS = [(cell, both_ways, units) for cell in recurrent.CELLS for both_ways in (False, True)
            for units in ("[12]", "[12, 6]")]


def small(*overrides: str) -> dict:
    return schema.load(CONFIG_PATH, ["model.vocabulary_size=50", "model.sequence_length=9", "model.embedding_dim=5",
                                     *overrides])


@pytest.mark.parametrize(("cell", "both_ways", "units"), VARIANTS)
def test_each_recurrent_layer_has_the_parameters_its_gates_add_up_to(cell, both_ways, units):
    cfg = small(f"model.rnn_cell={cell}", f"model.bidirectional={str(both_ways).lower()}", f"model.rnn_units={units}")
    model = build_model(cfg)
    rows = architecture.layer_plan(cfg)
    assert total_params(rows) == model.count_params()
    recurrent_layers = [layer for layer in model.layers if isinstance(layer, (keras.layers.RNN,
                                                                               keras.layers.Bidirectional))]
    stack = architecture.recurrent_stack(cfg)
    assert len(recurrent_layers) == len(stack)
    for layer, (inputs, layer_units) in zip(recurrent_layers, stack, strict=True):
        per_gate = recurrent.gate_params(cell, inputs, layer_units)
        assert len(per_gate) == {"lstm": 4, "gru": 3, "simple": 1}[cell]
        assert sum(per_gate.values()) * (2 if both_ways else 1) == layer.count_params()
    directions = 2 if both_ways else 1
    assert model.output_shape == (None, 1)
    assert recurrent_layers[-1].output.shape[-1] == 6 * directions if units == "[12, 6]" else 12 * directions


def test_explain_prints_the_gate_equations_with_their_counts(capsys):
    from .conftest import main

    assert main(["explain", "--config", str(CONFIG_PATH), "model.rnn_cell=gru", "model.bidirectional=false",
                     "model.embedding_dim=128", "model.rnn_units=[64]"]) == 0
    out = capsys.readouterr().out
    for gate in ("update", "reset", "candidate"):
        assert f"{gate} gate: W 128x64 + U 64x64 + b + b' -> 12,416 parameters" in out  # 64 x (128 + 64 + 2)
    assert "layer total: 37,248 parameters" in out and "agrees with the table" in out


@pytest.mark.parametrize("cell", recurrent.CELLS)
def test_saved_model_reads_raw_strings(cell, tmp_path):
    """With either cell (the answer at generation sets config.yaml's; the model is the same code)."""
    cfg = small("model.rnn_units=[4]", f"model.rnn_cell={cell}")
    model = saved_model(build_model(cfg), cfg, vocabulary=["", "[UNK]", "good", "bad", "film"])
    texts = np.array(["A good film!", "bad", "words it never saw"], dtype=object)
    before = np.asarray(model.predict(texts, verbose=0))
    model.save(tmp_path / "model.keras")
    after = np.asarray(keras.models.load_model(tmp_path / "model.keras").predict(texts, verbose=0))
    np.testing.assert_allclose(before, after, atol=1e-6)
    assert before.shape == (3, 1) and np.all((before > 0) & (before < 1))


def test_vocabulary_lookup_follows_the_standardize_setting():
    for setting, expected in (("lower_and_strip_punctuation", [2, 4]), ("none", [1, 1])):
        vectorize = make_vectorizer(small(f"model.standardize={setting}"), ["", "[UNK]", "good", "bad", "film"])
        ids = np.asarray(vectorize(np.array(["Good FILM!"], dtype=object)))[0]
        assert list(ids[:2]) == expected and not ids[2:].any(), setting


def test_binary_scores_by_hand():
    labels = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    predicted = np.array([1, 1, 0, 1, 0, 0, 0, 0])
    # 2 true positives, 1 false positive, 2 false negatives, 3 true negatives.
    scores = binary_scores(labels, predicted)
    assert scores == {"accuracy": 5 / 8, "precision": 2 / 3, "recall": 2 / 4, "f1": 2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)}
    assert binary_scores(labels, np.zeros(8, int))["precision"] == 0.0


def test_accuracy_on_the_longest_quarter_against_the_rest_by_hand():
    labels = np.array([1, 0, 1, 0, 1, 0, 1, 0])
    predicted = np.array([0, 0, 1, 0, 1, 0, 1, 1])
    words = np.array([30, 3, 5, 30, 7, 8, 2, 9])  # the longest quarter: the two texts of 30 words, one right
    assert by_length(labels, predicted, words) == {"accuracy_longest_quarter": 0.5,
                                                    "accuracy_other_three_quarters": 5 / 6,  # the last one wrong
                                                    "longest_quarter_words": [30, 30]}
