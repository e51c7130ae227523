"""The progress display: a few redraws a second on a terminal, one finished line per epoch anywhere."""

from __future__ import annotations

import io
import time

from ..progress import EpochProgress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run_epoch(stream, steps: int, seconds_per_step: float, interval: float = 0.25) -> str:
    progress = EpochProgress(stream, interval=interval)
    progress.set_params({"epochs": 3, "steps": steps})
    progress.on_epoch_begin(0)
    for step in range(steps):
        time.sleep(seconds_per_step)
        progress.on_train_batch_end(step, {"loss": 1.0 / (step + 1)})
    progress.on_epoch_end(0, {"loss": 0.25, "val_loss": 0.5, "epoch_seconds": 1.0})
    return stream.getvalue()


def test_a_file_gets_one_line_per_epoch_with_the_epoch_logs():
    shown = run_epoch(io.StringIO(), steps=50, seconds_per_step=0)
    assert shown.startswith("epoch 1/3  50/50 steps  ") and shown.endswith("loss 0.25  val_loss 0.5\n")
    assert shown.count("\n") == 1 and "\r" not in shown and "epoch_seconds" not in shown


def test_a_terminal_is_redrawn_at_most_every_interval():
    shown = run_epoch(Terminal(), steps=30, seconds_per_step=0.01, interval=0.1)
    redraws = shown.count("\r") - 1  # the last one writes the finished line
    assert 1 <= redraws <= 4, shown  # 30 steps of 10 ms: about 3 redraws, not 30
    assert shown.endswith("val_loss 0.5\x1b[K\n")
