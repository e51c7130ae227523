"""The progress display: a few redraws a second on a terminal, one finished line per epoch anywhere."""

from __future__ import annotations

import io

import pytest
from standin.runtime import progress as progress_module
from standin.runtime.progress import EpochProgress


class Terminal(io.StringIO):
    def isatty(self):
        return True


class Clock:
    """progress.py's clock, moved by the test: each step takes exactly its time, however busy the machine is."""

    now = 0.0

    def perf_counter(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(progress_module, "time", clock)
    return clock


def run_epoch(clock: Clock, stream, steps: int, seconds_per_step: float, interval: float = 0.25) -> str:
    progress = EpochProgress(stream, interval=interval)
    progress.set_params({"epochs": 3, "steps": steps})
    progress.on_epoch_begin(0)
    for step in range(steps):
        clock.now += seconds_per_step
        progress.on_train_batch_end(step, {"loss": 1.0 / (step + 1)})
    progress.on_epoch_end(0, {"loss": 0.25, "val_loss": 0.5, "epoch_seconds": 1.0})
    return stream.getvalue()


def test_a_file_gets_one_line_per_epoch_with_the_epoch_logs(clock):
    shown = run_epoch(clock, io.StringIO(), steps=50, seconds_per_step=0.03125)
    assert shown.startswith("epoch 1/3  50/50 steps  1.6s  ") and shown.endswith("loss 0.25  val_loss 0.5\n")
    assert shown.count("\n") == 1 and "\r" not in shown and "epoch_seconds" not in shown


def test_a_terminal_is_redrawn_at_most_every_interval(clock):
    # Steps of 1/32 s (exact in binary) and redraws at most every 1/4 s: after steps 8, 16 and 24.
    shown = run_epoch(clock, Terminal(), steps=30, seconds_per_step=0.03125, interval=0.25)
    redraws = shown.count("\r") - 1  # the last one writes the finished line
    assert redraws == 3, shown
    assert "epoch 1/3  8/30 steps  0.2s" in shown and "epoch 1/3  24/30 steps  0.8s" in shown, shown
    assert shown.endswith("val_loss 0.5\x1b[K\n")
