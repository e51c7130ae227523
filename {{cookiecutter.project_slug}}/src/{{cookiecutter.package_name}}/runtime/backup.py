"""Backups of a run in progress, safe against a kill at any instant, and the exact resume from them."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import keras

from . import storage
from .i18n import _
from .run_files import RunError


def link(existing: Path, new: Path) -> None:
    """`new` as a second name of `existing` (a hard link: the file stays as it is when `existing` is replaced), or a
    copy where the file system has no links."""
    new.unlink(missing_ok=True)  # left by a kill
    try:
        os.link(existing, new)
    except OSError:
        shutil.copyfile(existing, new)


class RunBackup(keras.callbacks.BackupAndRestore):
    """Keras's BackupAndRestore, safe against a kill while it writes, and kept until the run is finished.

    Keras writes the weights, then the epoch number, over two fixed files: a kill between the two
    pairs new weights with an old epoch. Here each epoch's weights get a file of their own, and the
    record that names them is renamed into place last. Keras also deletes the backup as soon as
    `fit` returns, before the model is saved; here `train` deletes it once the run is finished.

    Writing the weights and the optimizer's state takes a few hundredths of a second for a small
    network (a fifth of a run whose epochs take a fraction of a second) and seconds for AlexNet's 58
    million weights. So an epoch is backed up once `interval` seconds have passed since the last backup,
    or SLOW_BACKUP times as long as that backup took if that is longer, so that backups never take more
    than a twentieth of the run; the last epoch always is, and interval 0 backs up every epoch. A kill loses
    at most that much training. The best checkpoint is written just before, so the two agree.
    """

    SLOW_BACKUP = 20

    def __init__(self, folder: Path, interval: float, best=None, writes: bool = True):
        super().__init__(str(folder), delete_checkpoint=False)
        self.folder, self.writes = folder, writes
        self.record = folder / "training_metadata.json"
        self.interval = interval
        self.best = best
        self.last_backup_seconds = 0.0

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._current_epoch = self._saved_epoch = self.completed_epochs()
        self._saved_at = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        if self.due(time.monotonic() - self._saved_at):
            self._save_model()

    def due(self, waited: float) -> bool:
        """Whether a backup is due `waited` seconds after the last one."""
        return self.interval == 0 or waited >= max(self.interval, self.SLOW_BACKUP * self.last_backup_seconds)

    def on_train_end(self, logs=None):
        if self._current_epoch > self._saved_epoch:
            self._save_model()

    def completed_epochs(self) -> int:
        return self._read_record()["epoch"] if self.record.exists() else 0

    def _read_record(self) -> dict:
        try:
            record = json.loads(self.record.read_text(encoding="utf-8"))
            if isinstance(record.get("epoch"), int) and (self.folder / str(record.get("weights"))).is_file():
                return record
        except (ValueError, OSError):
            pass
        raise RunError(_("{record}: damaged (not the record of a saved epoch); this run cannot be resumed, start a "
                         "new run").format(record=self.record))

    def _save_model(self):
        if not self.writes:
            return
        started = time.monotonic()
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.best and self.best.write():
            # The best checkpoint now holds this epoch, optimizer state included (Keras's load_weights reads a
            # .keras file as it reads .weights.h5): a second name for it costs nothing, a second copy a write.
            weights = self.folder / f"epoch-{self._current_epoch}.keras"
            storage.write_atomically(weights, lambda temporary: link(self.best.path, temporary))
        else:
            weights = self.folder / f"epoch-{self._current_epoch}.weights.h5"
            storage.write_atomically(weights, lambda temporary: self.model.save_weights(temporary, overwrite=True))
        storage.write_json(self.record, {"epoch": self._current_epoch, "weights": weights.name})
        for older in self.folder.glob("epoch-*"):
            if older != weights:
                older.unlink()
        self._saved_epoch, self._saved_at = self._current_epoch, time.monotonic()
        self.last_backup_seconds = self._saved_at - started

    def _load_model(self):
        if not self.record.exists():
            return
        record = self._read_record()
        if self.model.optimizer is not None and not self.model.optimizer.built:
            self.model.optimizer.build(self.model.trainable_variables)
        try:
            self.model.load_weights(self.folder / record["weights"])
        except (OSError, ValueError) as error:
            raise RunError(_("{weights}: cannot be restored into this model ({error}); start a new run").format(
                weights=self.folder / record["weights"], error=error)) from None
        self.model._initial_epoch = record["epoch"]  # where fit starts; Keras's own BackupAndRestore sets it too

    def restore(self, model: keras.Model) -> int:
        """Load the backup into `model` now (fit loads it again, harmlessly); return the epochs it holds."""
        self.set_model(model)
        self._load_model()
        return self.completed_epochs()


class PhaseBackup:
    """A finished phase before `fit` (one RBM of a Deep Belief Net), kept until the run is: its weights, then its
    history, which marks it done. A run killed in a later phase restores the finished ones instead of training
    them again. It lives inside the run's backup folder and goes with it."""

    def __init__(self, folder: Path, writes: bool = True):
        self.folder, self.writes = folder, writes

    def save(self, name: str, network: keras.Model, history: dict) -> None:
        if self.writes:
            self.folder.mkdir(parents=True, exist_ok=True)
            storage.write_atomically(self.folder / f"{name}.weights.h5", network.save_weights)
            storage.write_json(self.folder / f"{name}.json", history)

    def restore(self, name: str, network: keras.Model) -> dict | None:
        """The phase's history, its weights loaded into `network`; None if it has not finished."""
        done = self.folder / f"{name}.json"
        if not done.exists():
            return None
        network.load_weights(self.folder / f"{name}.weights.h5")
        return json.loads(done.read_text(encoding="utf-8"))
