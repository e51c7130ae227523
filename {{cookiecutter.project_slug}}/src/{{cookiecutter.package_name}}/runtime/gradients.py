"""How large each layer's gradient is, epoch by epoch: what the notes mean by a vanishing gradient.

With `run.log_gradients: true` a run measures, before training and after every epoch, the gradient
of the training loss on one fixed batch (the first validation batch) with respect to each layer's
weights, and writes its root mean square per layer to gradients.csv (row `epoch` N: after N epochs);
the run's end draws gradients.png. The root mean
square (the norm over the square root of the weight count) lets a wide and a narrow layer compare.
In a deep sigmoid net the first layers' numbers start orders of magnitude below the last's: each
sigmoid passes back at most a quarter of the gradient it receives. With ReLU they stay close.
(Training narrows the gap: an adaptive optimizer such as Adam scales each weight's step anyway.)
"""

from __future__ import annotations

import csv
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .i18n import _
from .plots import plt, save_figure
from .storage import write_csv


def weighted_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The layers that own weights other than biases, inside nested models too, input side first."""
    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found += weighted_layers(layer)
        elif any(not weight.path.endswith("bias") for weight in layer.trainable_weights):
            found.append(layer)
    return found


def gradient_sizes(model: keras.Model, inputs, targets) -> dict[str, float]:
    """Each weighted layer's gradient root mean square for the loss on (inputs, targets), without training."""
    layers = weighted_layers(model)
    weights = [[w for w in layer.trainable_weights if not w.path.endswith("bias")] for layer in layers]
    with tf.GradientTape() as tape:
        outputs = model(inputs, training=False)
        loss = model.compute_loss(x=inputs, y=targets, y_pred=outputs, training=False)
    gradients = tape.gradient(loss, [w for group in weights for w in group])
    sizes, start = {}, 0
    for layer, group in zip(layers, weights, strict=True):
        squares = sum(float(tf.reduce_sum(tf.square(tf.cast(g, "float32"))))
                      for g in gradients[start:start + len(group)])
        sizes[layer.name] = float(np.sqrt(squares / sum(int(np.prod(w.shape)) for w in group)))
        start += len(group)
    return sizes


class GradientLog(keras.callbacks.Callback):
    """Rows of gradients.csv: before training, then after each epoch (the file is rewritten in one rename, so a
    kill leaves a whole file; a resumed run keeps the rows its backup holds)."""

    def __init__(self, batch, path: Path):
        super().__init__()
        self.inputs, self.targets = batch
        self.path = path

    def on_train_begin(self, logs=None):
        if not read(self.path):
            self._add_row(0)

    def on_epoch_end(self, epoch, logs=None):
        self._add_row(epoch + 1)

    def _add_row(self, epochs_done: int) -> None:
        sizes = gradient_sizes(self.model, self.inputs, self.targets)
        rows = read(self.path)
        rows.append({"epoch": epochs_done, **sizes})
        write_csv(self.path, rows)


def read(path: Path) -> list[dict]:
    """gradients.csv as rows of numbers (epoch first); none when there is no file."""
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: (int(value) if key == "epoch" else float(value)) for key, value in row.items()}
                for row in csv.DictReader(handle)]


def plot(rows: list[dict], path: Path, title: str = "") -> None:
    """Gradient size per layer, input side on the left, one line per epoch (later epochs darker), log scale."""
    layers = [key for key in rows[0] if key != "epoch"]
    figure, axis = plt.subplots(figsize=(max(5, 1.1 * len(layers)), 3.8))
    colours = plt.cm.viridis(np.linspace(0.9, 0.1, len(rows)))
    for row, colour in zip(rows, colours, strict=True):
        label = _("after epoch {epoch}").format(epoch=row["epoch"]) if row["epoch"] else _("before training")
        axis.plot(layers, [row[layer] for layer in layers], marker="o", color=colour, label=label)
    axis.set(yscale="log", ylabel=_("gradient root mean square"), title=title or _("gradient size per layer"))
    axis.tick_params(axis="x", rotation=30)
    axis.grid(alpha=0.3)
    if len(rows) <= 12:
        axis.legend(fontsize="small")
    figure.tight_layout()
    save_figure(figure, path)
