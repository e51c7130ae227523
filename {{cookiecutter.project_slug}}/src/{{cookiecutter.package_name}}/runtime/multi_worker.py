"""Keras's `fit`, written out for MultiWorkerMirroredStrategy (Keras 3's own fails under it)."""

from __future__ import annotations

import keras
import tensorflow as tf

from .i18n import _
from .run_files import RunError


def fit_multi_worker(model, strategy, datasets, callbacks, epochs, steps_per_epoch) -> None:
    """What `model.fit` does, written out for MultiWorkerMirroredStrategy.

    Keras 3's `fit` fails under that strategy (keras-team/keras#20585), so this loop calls the
    model's own `train_step` on every replica with `strategy.run` and drives the same callbacks
    through a `CallbackList`: checkpoints, backups, logs and early stopping behave as with `fit`.
    Every worker must run the same number of steps, so the training data repeats and an epoch is a
    fixed number of steps.
    """
    if steps_per_epoch is None:
        # The pipeline's batches are global batches: each step splits one between the workers (each reads its
        # share), so an epoch is as many steps as there are batches, on every worker.
        steps_per_epoch = int(datasets.train.cardinality())
        if steps_per_epoch < 1:
            raise RunError(_("distribute.strategy=multi_worker needs training.steps_per_epoch when the training "
                             "set's size is unknown"))
    callback_list = keras.callbacks.CallbackList(callbacks, add_history=True, model=model, verbose=0, epochs=epochs,
                                                 steps=steps_per_epoch)
    train_batches = iter(strategy.experimental_distribute_dataset(datasets.train.repeat()))

    @tf.function
    def train_step(batch):
        strategy.run(model.train_step, args=(batch,))

    @tf.function
    def test_step(batch):
        strategy.run(model.test_step, args=(batch,))

    model.stop_training = False
    callback_list.on_train_begin()
    logs: dict = {}
    for epoch in range(getattr(model, "_initial_epoch", 0) or 0, epochs):  # BackupAndRestore sets it on resume
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        for step in range(steps_per_epoch):
            callback_list.on_train_batch_begin(step)
            train_step(next(train_batches))
            callback_list.on_train_batch_end(step, {})
        logs = {name: float(value) for name, value in model.get_metrics_result().items()}
        if datasets.validation is not None:
            model.reset_metrics()
            for batch in strategy.experimental_distribute_dataset(datasets.validation):
                test_step(batch)
            logs.update({f"val_{name}": float(value) for name, value in model.get_metrics_result().items()})
        callback_list.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callback_list.on_train_end(logs)
