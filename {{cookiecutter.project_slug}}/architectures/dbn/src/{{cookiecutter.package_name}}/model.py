"""The Deep Belief Net: RBMs trained greedily, one on top of the other, then fine-tuned as a classifier.

`build_model` gives the classifier: 784 pixels -> sigmoid Dense layers of the configured sizes ->
10-way softmax. `pretrain` (which lesson.py hands the runtime, to run before `fit`) first trains one RBM per hidden
layer, each on the hidden probabilities of the one below (Hinton, Osindero & Teh 2006), and copies
each RBM's weights and hidden biases into its Dense layer: the Dense layer then computes exactly
the RBM's p(h | v). Fine-tuning with back-propagation starts from there instead of from random
weights. With `model.pretrain=false` it is the same net from random initialization.
"""

from __future__ import annotations

from collections.abc import Callable
from math import prod
from pathlib import Path

import keras
import numpy as np

from .architecture import IMAGE_SHAPE, NUM_CLASSES
from .layers import RBM
from .pretraining import RBMTrainer
from .runtime.i18n import _
from .runtime.plots import plt, save_figure
from .runtime.storage import write_csv


def build_model(cfg: dict) -> keras.Model:
    inputs = keras.Input(shape=IMAGE_SHAPE, name="image")
    # Grey levels 0-255 become the probabilities 0-1 that the first RBM's visible units were trained on.
    x = keras.layers.Rescaling(1.0 / 255, name="scale")(inputs)
    x = keras.layers.Flatten(name="flatten")(x)
    for index, units in enumerate(cfg["model"]["hidden_units"], start=1):
        x = keras.layers.Dense(units, activation="sigmoid", name=f"dense_{index}")(x)
    # float32 even under mixed precision (training.mixed_precision): a float16 softmax loses small probabilities.
    outputs = keras.layers.Dense(NUM_CLASSES, activation="softmax", name="output", dtype="float32")(x)
    return keras.Model(inputs, outputs, name="dbn")


LOSS = "sparse_categorical_crossentropy"
METRICS = ["accuracy"]


def pretrain(model: keras.Model, cfg: dict, strategy, fit: Callable, run_dir: Path | None) -> dict:
    """Greedy layer-wise pre-training; returns what metrics.json records of it.

    fit(trainer, epochs, name) trains on the run's training pipeline (and scores the validation split) and
    returns the per-epoch logs; each RBM, once trained, is kept in the run's backup under its name, so a run
    killed while a later one trains does not train it again. run_dir: where the pictures and the per-epoch
    table go (None on workers other than the chief).
    """
    if not cfg["model"]["pretrain"]:
        return {"pretraining": None}
    settings = cfg["pretraining"]
    persistent = cfg["training"]["batch_size"] if settings["persistent"] else 0
    rbms: list[RBM] = []
    rows, report = [], {}
    visible = prod(IMAGE_SHAPE)
    for index, units in enumerate(cfg["model"]["hidden_units"], start=1):
        line = (_("pre-training RBM {index} of {count}: {visible} visible -> {hidden} hidden units, persistent CD-{k}")
                if persistent else
                _("pre-training RBM {index} of {count}: {visible} visible -> {hidden} hidden units, CD-{k}"))
        print(line.format(index=index, count=len(cfg["model"]["hidden_units"]), visible=visible, hidden=units,
                          k=settings["cd_k"]))
        with strategy.scope():
            rbm = RBM(units, seed=cfg["seed"] + index, name=f"rbm_{index}")
            trainer = RBMTrainer(rbm, visible, below=rbms, cd_k=settings["cd_k"], persistent_chains=persistent)
            trainer.compile(optimizer=keras.optimizers.SGD(settings["learning_rate"], momentum=settings["momentum"]))
            trainer.optimizer.build(rbm.trainable_weights)  # now, so that fit traces its step once, not twice
        history = fit(trainer, settings["epochs"], name=f"rbm_{index}")
        model.get_layer(f"dense_{index}").set_weights([rbm.kernel.numpy(), rbm.hidden_bias.numpy()])
        rbms.append(rbm)
        visible = units
        report[f"rbm_{index}"] = per_epoch = _epoch_table(history)
        rows += [{"rbm": index, "epoch": epoch, **{key: values[epoch] for key, values in per_epoch.items()}}
                 for epoch in range(len(history["reconstruction_error"]))]
    if run_dir is not None:
        write_csv(run_dir / "pretraining.csv", rows)
        plot_filters(rbms[0].kernel.numpy(), IMAGE_SHAPE[:2], run_dir / "rbm_1_filters.png")
    return {"pretraining": report}


def _epoch_table(history: dict) -> dict[str, list[float]]:
    """Per epoch: reconstruction errors, free energies and the gap between them (validation - training).

    A growing free-energy gap means the RBM likes its training images more than unseen ones: it is
    over-fitting (practical guide, section 6). The training free energy is the mean over the epoch's
    batches, so it lags the weights a little.
    """
    table = {key: [round(float(value), 6) for value in values] for key, values in history.items()}
    if "val_free_energy" in table:
        table["free_energy_gap"] = [round(val - train, 6)
                                    for val, train in zip(table["val_free_energy"], table["free_energy"], strict=True)]
    return table


def plot_filters(kernel: np.ndarray, image_size: tuple[int, int], path: Path, count: int = 100) -> None:
    """The weights into each of the first `count` units, drawn as images: what each unit looks for in the input.

    kernel: (pixels, units), one column per unit. Each picture has its own grey scale (light = positive).
    """
    count = min(count, kernel.shape[1])
    columns = int(np.ceil(np.sqrt(count)))
    rows = int(np.ceil(count / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(columns, rows), squeeze=False)
    for index, axis in enumerate(axes.flat):
        axis.axis("off")
        if index < count:
            axis.imshow(kernel[:, index].reshape(image_size), cmap="gray")
    figure.suptitle(_("weights of the first {count} hidden units").format(count=count))
    save_figure(figure, path)
