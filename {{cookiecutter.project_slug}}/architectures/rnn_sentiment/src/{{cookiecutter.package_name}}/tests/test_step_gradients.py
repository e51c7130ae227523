"""The gradient at each word, counted back from the last: lined up by hand, logged by a run's callback, and drawn
for a comparison of cells."""

from __future__ import annotations

import csv

import keras
import numpy as np

from .. import step_gradients
from ..lesson import LESSON
from ..runtime.run_files import read_unfinished


def test_each_text_is_read_back_from_its_last_word():
    sizes = np.array([[1.0, 2.0, 3.0, 0.0],  # three words, then padding
                      [5.0, 6.0, 7.0, 8.0]])  # four words
    means, texts = step_gradients.by_steps_back(sizes, np.array([3, 4]))
    np.testing.assert_allclose(means, [(3 + 8) / 2, (2 + 7) / 2, (1 + 6) / 2, 5])
    assert texts.tolist() == [2, 2, 2, 1]
    # 19 texts of one word and one of four: the steps back that only one text in twenty reaches are left out.
    assert step_gradients.by_steps_back(np.ones((20, 4)), np.array([1] * 19 + [4]))[1].tolist() == [20]
    assert step_gradients.steps_to_vanish([1.0, 0.5, 0.02, 0.009, 0.5]) == 3
    assert step_gradients.steps_to_vanish([1.0, 0.5, 0.02]) is None


def simple_network(recurrent_kernel: np.ndarray) -> keras.Model:
    """Word ids -> 8-number word vectors (padding masked) -> a simple cell with W = I and the given U -> sigmoid."""
    ids = keras.Input(shape=(16,), dtype="int64")
    embedding = keras.layers.Embedding(30, 8, mask_zero=True, name="embedding")
    cell = keras.layers.SimpleRNN(8, name="simple")
    model = keras.Model(ids, keras.layers.Dense(1, activation="sigmoid")(cell(embedding(ids))))
    cell.set_weights([np.eye(8, dtype="float32"), recurrent_kernel.astype("float32"), np.zeros(8, dtype="float32")])
    model.compile(loss="binary_crossentropy")
    return model


def test_in_a_simple_cell_the_gradient_shrinks_by_what_u_stretches_at_every_step_back():
    """Small word vectors keep tanh in its straight part (slope about 1), so each step back multiplies the gradient
    by U^T alone: with U half an orthogonal matrix it halves at every word, and falls below 1 % at 7 steps back
    (0.5^7 = 0.008), whatever each text's length; with U orthogonal, as Keras starts it, it barely shrinks."""
    rng = np.random.default_rng(0)
    ids = rng.integers(2, 30, size=(8, 16))
    for row, length in zip(ids, [16, 16, 12, 9, 16, 5, 14, 16], strict=True):
        row[length:] = 0  # padding after the last word
    labels = np.ones(8, dtype="float32")
    orthogonal = np.linalg.qr(rng.normal(size=(8, 8)))[0]
    model = simple_network(0.5 * orthogonal)
    means, texts = step_gradients.by_steps_back(*step_gradients.word_vector_gradients(
        model, ids, labels))
    assert texts.tolist() == [8] * 5 + [7] * 4 + [6] * 3 + [5] * 2 + [4] * 2
    np.testing.assert_allclose(means / means[0], 0.5 ** np.arange(16), rtol=0.05)
    assert step_gradients.steps_to_vanish(list(means)) == 7

    model = simple_network(orthogonal)
    means, _ = step_gradients.by_steps_back(*step_gradients.word_vector_gradients(
        model, ids, labels))
    assert means[-1] > 0.8 * means[0] and step_gradients.steps_to_vanish(list(means)) is None


def read_csv(path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_runs_log_the_gradient_at_each_word_and_their_comparison_draws_them_together(quick_config, tmp_path):
    """What `compare model.rnn_cell=simple,gru run.log_gradients=true` does around each run's fit, without the fit."""
    datasets = LESSON.data(quick_config(), 64)
    batch = len(next(iter(datasets.validation))[1])  # the fixed batch: the first validation batch
    runs = {}
    for cell in ("simple", "gru"):
        cfg = quick_config("run.log_gradients=true", f"model.rnn_cell={cell}", "model.bidirectional=false")
        run_dir = tmp_path / cell
        run_dir.mkdir()
        (log,), _ = LESSON.epoch_callbacks(cfg, datasets, run_dir, None, None, True)
        network = LESSON.model(cfg, **datasets.adapted)
        LESSON.compile(network, optimizer="adam")
        log.set_model(network)
        log.on_train_begin()
        log.on_epoch_end(0)
        # Killed and resumed: the run's new log finds the rows and trains epoch 1 again, which replaces its rows.
        (resumed,), _ = LESSON.epoch_callbacks(cfg, datasets, run_dir, None, None, True)
        resumed.set_model(network)
        resumed.on_train_begin()
        resumed.on_epoch_end(0)
        resumed.on_train_end()
        rows = read_csv(run_dir / step_gradients.CSV)
        assert [row["epoch"] for row in rows] == ["0"] * (len(rows) // 2) + ["1"] * (len(rows) // 2)
        before = [row for row in rows if row["epoch"] == "0"]
        assert [int(row["steps_back"]) for row in before] == list(range(len(before)))
        texts = [int(row["texts"]) for row in before]
        assert texts == sorted(texts, reverse=True) and texts[0] == batch, "every text has a last word"
        assert all(float(row["gradient_norm"]) > 0 for row in before)
        summary = read_unfinished(run_dir)["step_gradients"]
        assert summary["steps_measured"] == len(before) and {"before_training", "after_epoch_1"} <= set(summary)
        assert summary["reading"] == "read one way"
        assert (run_dir / step_gradients.PICTURE).is_file()
        runs[f"model.rnn_cell={cell}"] = [run_dir]
    LESSON.comparison_pictures(tmp_path, runs)
    drawn = read_csv(tmp_path / step_gradients.CSV)
    assert {(row["setting"], row["measured"], row["seeds"]) for row in drawn} == {
        (setting, when, "1") for setting in runs for when in ("before training", "after the last epoch")}
    assert (tmp_path / step_gradients.PICTURE).is_file()


def test_a_comparison_without_the_log_draws_nothing(tmp_path):
    (tmp_path / "run").mkdir()
    LESSON.comparison_pictures(tmp_path, {"seeds": [tmp_path / "run"]})
    assert not (tmp_path / step_gradients.CSV).exists() and not (tmp_path / step_gradients.PICTURE).exists()
