"""What `python train.py` prints while it trains: one line per epoch, redrawn a few times a second.

Keras's own progress bar (`fit(verbose=1)`) redraws after every step, and a callback that looks at
every step makes Keras wait for that step's numbers before it starts the next one. For a small
network that is a tenth of the training time. This display takes the numbers a few times a second
and only on a terminal; written to a file or a pipe it prints one finished line per epoch.
"""

from __future__ import annotations

import numbers
import sys
import threading
import time

import keras

from .i18n import _


class EpochProgress(keras.callbacks.Callback):
    """`epoch 3/20  36/36 steps  0.5s  loss 0.2412  accuracy 0.9301  val_loss ...`, in place on a terminal."""

    # Keras runs the step hooks of callbacks marked so on a helper thread, while the next step computes.
    async_safe = True

    def __init__(self, stream=None, interval: float = 0.25):
        super().__init__()
        self.stream = stream or sys.stdout
        self.interval = interval
        self.live = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._lock = threading.Lock()

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self.started = self.shown = time.perf_counter()
        self.seen = 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen = max(self.seen, batch + 1)  # a short last call counts as full: _line caps it
        if not self.live:
            return
        with self._lock:  # the helper thread may run two steps' hooks at once
            now = time.perf_counter()
            if now - self.shown < self.interval:
                return
            self.shown = now
            self.stream.write("\r" + self._line(batch + 1, logs) + "\x1b[K")
            self.stream.flush()

    def on_epoch_end(self, epoch, logs=None):
        with self._lock:
            line = self._line(self.seen, logs)
            self.stream.write(f"\r{line}\x1b[K\n" if self.live else f"{line}\n")
            self.stream.flush()

    def _line(self, step, logs) -> str:
        total = self.params.get("steps")
        epochs = self.params.get("epochs")
        values = "  ".join(f"{name} {float(value):.4g}" for name, value in (logs or {}).items()
                           if name != "epoch_seconds" and isinstance(value, numbers.Real))
        # One message for the whole line, so that a translation can order its parts; the metrics keep Keras's names.
        line = (_("epoch {epoch}/{epochs}  {step}/{total} steps  {seconds:.1f}s  {values}") if total else
                _("epoch {epoch}/{epochs}  {step} steps  {seconds:.1f}s  {values}"))
        return line.format(epoch=self.epoch + 1, epochs=epochs, step=min(step, total) if total else step, total=total,
                           seconds=time.perf_counter() - self.started, values=values).rstrip()
