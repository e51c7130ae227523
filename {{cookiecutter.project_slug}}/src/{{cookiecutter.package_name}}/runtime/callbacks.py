"""The callbacks of every run: timing, per-epoch seeds, the best checkpoint, early stopping that resumes,
and the crash points the tests kill runs at. `make_callbacks` puts them, with Keras's own, in order."""

from __future__ import annotations

import os
import time
from pathlib import Path

import keras
import numpy as np
from keras.src.utils import io_utils

from . import storage
from .backup import RunBackup
from .data_sources import training_epoch
from .i18n import _


class EpochTimer(keras.callbacks.Callback):
    """Adds the epoch's wall time to the logs, so history.csv records speed as well as loss."""

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self._start


class EpochSeeds(keras.callbacks.Callback):
    """Makes every random draw of an epoch a function of (seed, epoch number).

    That covers the order of the training data (data_sources.training_epoch) and the draws the model
    makes itself: dropout, random shifts and crops, the GAN's noise (every keras.random.SeedGenerator).
    Without it a resumed process would start those streams from the beginning again, and a run
    killed and resumed would end differently from one that was never interrupted.
    """

    def __init__(self, seed: int):
        super().__init__()
        self.seed = seed

    def on_epoch_begin(self, epoch, logs=None):
        training_epoch().assign(epoch)
        states = [v for v in self.model.variables if v.name == "seed_generator_state"]
        for index, state in enumerate(states):
            # Distinct primes keep every (generator, epoch) pair on a stream of its own.
            start = (self.seed * 1_000_003 + index * 7_919 + epoch * 104_729) % 2**31
            state.assign(np.array([start, 0], dtype=state.dtype))


class BestCheckpoint(keras.callbacks.Callback):
    """checkpoints/best.keras: the model of the best epoch so far (lowest `monitor`).

    Each better epoch's weights are kept in memory (copied only when the next epoch starts, since a
    backup right after it can save the model as it is); RunBackup writes them (renamed into place) just
    before each backup. A resumed run starts from the best value in history.csv, so it replaces the
    checkpoint only with a better epoch than any before the interruption.
    """

    def __init__(self, path: Path, monitor: str, past: list[float]):
        super().__init__()
        self.path, self.monitor = path, monitor
        self.best = min(past) if past else float("inf")
        self.weights, self.latest_is_best = None, False

    def on_epoch_begin(self, epoch, logs=None):
        if self.latest_is_best:  # the weights are about to change: keep a copy of the best
            self.weights, self.latest_is_best = self.model.get_weights(), False

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is not None and value < self.best:  # a NaN is never better
            # The copy waits for the next epoch: a backup right after this one saves the model as it is.
            self.best, self.weights, self.latest_is_best = value, None, True

    def write(self) -> bool:
        """Save the best epoch not yet saved, if there is one; once on disk it need not be kept in memory.
        True when the file now holds the model as it is (the latest epoch was the best)."""
        if self.weights is None and not self.latest_is_best:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.latest_is_best:
            storage.write_atomically(self.path, self.model.save)
            self.latest_is_best = False
            return True
        current = self.model.get_weights()
        self.model.set_weights(self.weights)
        storage.write_atomically(self.path, self.model.save)
        self.model.set_weights(current)
        self.weights = None
        return False


def early_stopping_state(values: list[float], patience: int) -> tuple[float | None, int, int, bool]:
    """EarlyStopping's bookkeeping replayed over the monitored values of past epochs (lower is better):
    the best value, its epoch, the epochs waited since, and whether it would have stopped."""
    best, best_epoch, wait = None, 0, 0
    for epoch, value in enumerate(values):
        if best is None or value < best:
            best, best_epoch, wait = value, epoch, 0
        else:
            wait += 1
    return best, best_epoch, wait, len(values) > 1 and wait >= patience


class ResumableEarlyStopping(keras.callbacks.EarlyStopping):
    """EarlyStopping that, in a resumed run, carries on from the epochs before the interruption: their
    best value, the epochs waited since, and the best weights (checkpoints/best.keras holds them)."""

    def __init__(self, monitor: str, patience: int, past: list[float], best_model: Path):
        super().__init__(monitor=monitor, mode="min", patience=patience, restore_best_weights=True)
        self.past, self.best_model = past, best_model

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.past:
            self.best, self.best_epoch, self.wait, _ = early_stopping_state(self.past, self.patience)
            if self.best_model.is_file():  # the chief's; a worker on another machine keeps its current weights
                self.best_weights = keras.models.load_model(self.best_model, compile=False).get_weights()


class TerminateOnNaN(keras.callbacks.TerminateOnNaN):
    """Keras's TerminateOnNaN, its one line in the run's language: a NaN or infinite loss stops training."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            io_utils.print_msg(_("Batch {batch}: Invalid loss, terminating training").format(batch=batch))
            self.model.stop_training = True


class CrashPoints(keras.callbacks.Callback):
    """Tests only (storage.CRASH_ENV): kill the process inside an epoch, or after the epoch was logged
    but before its backup was written. `phase` tells the run's own fit ("") from a helper network's
    ("helper-": one RBM, the GAN's quality classifier)."""

    def __init__(self, phase: str = ""):
        super().__init__()
        self.phase = phase

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch, self.steps_done = epoch, 0

    def on_train_batch_end(self, batch, logs=None):
        # `batch` is the last step of the compiled call: with training.steps_per_execution > 1, several steps end here.
        for step in range(self.steps_done, batch + 1):
            storage.crash_point(f"{self.phase}epoch-{self.epoch}-batch-{step}")
        self.steps_done = batch + 1

    def on_epoch_end(self, epoch, logs=None):
        storage.crash_point(f"{self.phase}epoch-{epoch}-logged")


def make_callbacks(cfg: dict, run_dir: Path, monitor: str, is_chief: bool,
                   past: dict[str, list[float]], backup: RunBackup) -> list[keras.callbacks.Callback]:
    """Keras's own callbacks do the bookkeeping, in an order that matters: the timer first (so the CSV sees
    its column); the best checkpoint and the CSV row before the backup, so that an epoch the backup holds
    is always logged (a row logged after the last backup is dropped on resume, and that epoch trained again);
    early stopping last. `monitor` is lower-is-better: a loss, or the GAN's Fréchet distance."""
    callbacks = [EpochTimer(), EpochSeeds(cfg["seed"])]
    if is_chief:
        backup.best = BestCheckpoint(run_dir / "checkpoints" / "best.keras", monitor, past.get(monitor, []))
        callbacks += [
            backup.best,
            keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=True),
            keras.callbacks.TensorBoard(str(run_dir / "logs")),
        ]
    if os.environ.get(storage.CRASH_ENV):
        callbacks.append(CrashPoints())
    # Saves weights, optimizer state and the epoch number after every epoch, and restores them when the
    # same run directory is trained again: an interrupted run continues where it stopped.
    callbacks += [backup, TerminateOnNaN()]
    patience = cfg["training"]["early_stopping_patience"]
    if patience:
        callbacks.append(ResumableEarlyStopping(monitor, patience, past.get(monitor, []),
                                                run_dir / "checkpoints" / "best.keras"))
    return off_the_step(callbacks)


def off_the_step(callbacks: list[keras.callbacks.Callback]) -> list[keras.callbacks.Callback]:
    """Let Keras run these callbacks' step hooks on a helper thread (`async_safe`), so that no step waits for
    the one before it to report. Their step hooks do nothing at an epoch's frequency (checkpoints, backups,
    TensorBoard) or only read the loss (TerminateOnNaN). The crash points, for tests only, stay in step."""
    for callback in callbacks:
        callback.async_safe = not isinstance(callback, CrashPoints)
    return callbacks
