"""How far back the loss's gradient reaches: its size at each word of a text, counted back from the last word.

The notes' vanishing gradient, measured in time. What training can change about how the word at step t is read is
the gradient of the loss at its word vector x_t. From the last word read, T, it reaches x_{T-k} through k steps of
the recurrence. In the simple cell, h_t = tanh(W x_t + U h_{t-1} + b), each step multiplies it by
U^T diag(1 - h_t^2): tanh's slope is at most 1, so unless U stretches it as much as tanh shrinks it, it falls
geometrically with k (Bengio, Simard and Frasconi 1994). An LSTM's cell passes it back multiplied by the forget gates
(c_t = f_t * c_{t-1} + i_t * g_t), which can learn to stay near 1; a GRU's update gate keeps a share of h_{t-1} the
same way. Where each starts matters: Keras starts U orthogonal (it turns a vector without stretching it), while the
LSTM's forget gates start near sigmoid(1) = 0.73 and the GRU's update gates near 0.5.

With `run.log_gradients: true` a run measures it on one fixed batch (the first validation batch), before training
and after every epoch: the L2 norm of the gradient at each real word (padding is no step), averaged over the texts
at each number of steps back (0: the last word), as far back as a tenth of them reach. It writes
step_gradients.csv and .png (log scale, one line per epoch), and metrics.json's `step_gradients` says how many
steps back it first falls below 1 % of the last word's. `compare` draws the settings' curves together.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .runtime.i18n import N_, _
from .runtime.plots import plt, save_figure
from .runtime.run_files import record_unfinished
from .runtime.storage import write_csv

CSV, PICTURE = "step_gradients.csv", "step_gradients.png"
VANISHED = 0.01  # a gradient below 1 % of the last word's has, for this measure, vanished
# How the texts were read, as metrics.json records it (in English), and shown in the picture's title.
READINGS = {False: N_("read one way"), True: N_("read both ways (the backward copy reads the first words last)")}


def epoch_callbacks(cfg: dict, datasets, run_dir: Path, is_chief: bool) -> tuple[list, dict]:
    """The log as the lesson's per-epoch callback, on the one process that writes, when run.log_gradients is on."""
    if not (cfg["run"]["log_gradients"] and is_chief):
        return [], {}
    # The batch the runtime's per-layer log (runtime/gradients.py) uses too.
    fixed = next(iter(datasets.validation if datasets.validation is not None else datasets.train))
    return [StepGradientLog(fixed, run_dir, READINGS[bool(cfg["model"]["bidirectional"])])], {}


def word_vector_gradients(model: keras.Model, inputs, targets) -> tuple[np.ndarray, np.ndarray]:
    """The L2 norm of the loss's gradient at each word vector, (texts, positions), and each text's number of words.

    TensorFlow hands the gradient with respect to the embedding's matrix back as one row per word looked up, in
    reading order (a tf.IndexedSlices, not yet summed over the places a word occurs): the gradient at each word's
    vector, without taking the network apart."""
    embedding = model.get_layer("embedding")
    with tf.GradientTape() as tape:
        outputs = model(inputs, training=False)
        loss = model.compute_loss(x=inputs, y=targets, y_pred=outputs, training=False)
    looked_up = tape.gradient(loss, embedding.embeddings)
    texts = len(targets)
    sizes = np.linalg.norm(tf.cast(looked_up.values, "float32").numpy().reshape(texts, -1, embedding.output_dim),
                           axis=-1)
    # Padding (id 0) comes after the last word (TextVectorization pads at the end): a text's words come first.
    return sizes, np.count_nonzero(looked_up.indices.numpy().reshape(texts, -1), axis=1)


def by_steps_back(sizes: np.ndarray, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mean size, number of texts) for 0, 1, 2, ... steps back from each text's last word, as far as a tenth of
    the texts reach (a mean over the few longest alone would be mostly noise)."""
    totals, counts = np.zeros(int(words.max(initial=0))), np.zeros(int(words.max(initial=0)), dtype=np.int64)
    for row, length in zip(sizes, words, strict=True):
        totals[:length] += row[:length][::-1]
        counts[:length] += 1
    reached = int(np.sum(counts >= max(len(words) // 10, 1)))
    return totals[:reached] / counts[:reached], counts[:reached]


def steps_to_vanish(sizes: list[float]) -> int | None:
    """Steps back at which the gradient first falls below 1 % of the last word's; None if it never does here."""
    return next((steps for steps, size in enumerate(sizes) if size < VANISHED * sizes[0]), None)


class StepGradientLog(keras.callbacks.Callback):
    """Rows of step_gradients.csv before training and after each epoch (an epoch trained again after a resume
    replaces its rows), their summary in metrics.json, and the picture when training ends."""

    def __init__(self, batch, run_dir: Path, reading: str):
        super().__init__()
        self.inputs, self.targets = batch
        self.run_dir, self.reading = run_dir, reading

    def on_train_begin(self, logs=None):
        if not read(self.run_dir / CSV):
            self._add_rows(0)

    def on_epoch_end(self, epoch, logs=None):
        self._add_rows(epoch + 1)

    def on_train_end(self, logs=None):
        curves = by_epoch(read(self.run_dir / CSV))
        colours = plt.cm.viridis(np.linspace(0.9, 0.1, len(curves)))
        plot([(label(epoch), sizes, colour, "-") for (epoch, sizes), colour in zip(curves.items(), colours,
                                                                                    strict=True)],
             self.run_dir / PICTURE, _("gradient at each word vector, {reading}").format(reading=_(self.reading)))

    def _add_rows(self, epochs_done: int) -> None:
        means, texts = by_steps_back(*word_vector_gradients(self.model, self.inputs, self.targets))
        rows = [row for row in read(self.run_dir / CSV) if row["epoch"] < epochs_done]
        rows += [{"epoch": epochs_done, "steps_back": steps, "gradient_norm": float(size), "texts": int(count)}
                 for steps, (size, count) in enumerate(zip(means, texts, strict=True))]
        write_csv(self.run_dir / CSV, rows)
        curves = by_epoch(rows)
        summary = {"reading": self.reading, "steps_measured": len(curves[0])}
        for epoch in sorted({0, max(curves)}):  # how far back it reaches before training and now
            summary[key(epoch)] = {"below_1_percent_at_steps_back": steps_to_vanish(curves[epoch]),
                                                       "farthest_over_last": curves[epoch][-1] / curves[epoch][0]}
        record_unfinished(self.run_dir, {"step_gradients": summary})


def label(epoch: int) -> str:
    """The legend's name for the curve measured after `epoch` epochs."""
    return _("after epoch {epoch}").format(epoch=epoch) if epoch else _("before training")


def key(epoch: int) -> str:
    """metrics.json's name for it."""
    return f"after_epoch_{epoch}" if epoch else "before_training"


def read(path: Path) -> list[dict]:
    """step_gradients.csv as rows of numbers; none when there is no file."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: float(value) if key == "gradient_norm" else int(value) for key, value in row.items()}
                for row in csv.DictReader(handle)]


def by_epoch(rows: list[dict]) -> dict[int, list[float]]:
    """The gradient sizes from the last word backwards, by the number of epochs trained when measured."""
    curves: dict[int, list[float]] = {}
    for row in rows:
        curves.setdefault(row["epoch"], []).append(row["gradient_norm"])
    return curves


def draw_comparison(folder: Path, runs: dict[str, list[Path]]) -> None:
    """A comparison's step_gradients.csv and .png: each setting's curve before training (solid) and after its last
    epoch (dashed), the mean over its seeds; nothing when its runs did not log them."""
    rows, lines = [], []
    for (setting, run_dirs), colour in zip(runs.items(), itertools.cycle(plt.cm.tab10.colors)):
        logged = [by_epoch(read(run_dir / CSV)) for run_dir in run_dirs]
        if not all(logged):
            return
        # The CSV's `measured` column is data, the same words in every language; the picture's title says it.
        for when, style in (("before training", "-"), ("after the last epoch", "--")):
            curves = [curve[0] if style == "-" else curve[max(curve)] for curve in logged]
            steps = min(len(curve) for curve in curves)  # each seed holds out other texts
            means = np.mean([curve[:steps] for curve in curves], axis=0)
            rows += [{"setting": setting, "measured": when, "seeds": len(run_dirs), "steps_back": steps_back,
                      "gradient_norm": float(size)} for steps_back, size in enumerate(means)]
            lines.append((setting if style == "-" else None, means, colour, style))
    write_csv(folder / CSV, rows)
    plot(lines, folder / PICTURE, _("gradient at each word vector: before training (solid), after (dashed)"))


def plot(lines: list[tuple[str | None, list[float], object, str]], path: Path, title: str) -> None:
    """(label, sizes from the last word backwards, colour, line style) per line, on a log scale, where a gradient
    that shrinks by the same factor at every step is a straight line down."""
    figure, axis = plt.subplots(figsize=(7.5, 4.2))
    for name, sizes, colour, style in lines:
        axis.plot(range(len(sizes)), sizes, style, color=colour, label=name)
    axis.set(yscale="log", xlabel=_("steps back from the last word (0: the last word)"),
             ylabel=_("gradient L2 norm at the word vector"), title=title)
    axis.xaxis.get_major_locator().set_params(integer=True)
    axis.grid(alpha=0.3)
    if sum(name is not None for name, *_ in lines) <= 12:
        axis.legend(fontsize="small")
    figure.tight_layout()
    save_figure(figure, path)
