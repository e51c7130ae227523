"""Shared fixtures: the project's own config.yaml, made small and offline for tests, and one finished run."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .. import schema
from ..lesson import LESSON
from ..runtime import cli
from ..runtime.storage import CRASH_ENV
from .quick import MODEL_OVERRIDES

PROJECT_ROOT = Path(__file__).resolve().parents[3]
CONFIG_PATH = PROJECT_ROOT / "config.yaml"

# An optimizer that learns the synthetic data in a few steps, whatever was answered at generation.
STEADY_OPTIMIZER = ["training.optimizer=adam", "training.learning_rate=0.001"]
# A run small enough for a test: synthetic data, a few short epochs, a small model, nothing written outside tmp.
QUICK = ["data.source=synthetic", "data.synthetic_examples=512", "training.epochs=2", "training.batch_size=64",
         "training.early_stopping_patience=0", "training.jit_compile=false", "training.mixed_precision=false",
         *STEADY_OPTIMIZER, *MODEL_OVERRIDES]
# The shared finished run: QUICK with epochs enough to learn the synthetic data and a backup after every epoch,
# killed in the middle and resumed (killed_and_resumed).
EPOCHS, KILLED_IN_EPOCH = 6, 3
FINISHED = [*QUICK, f"training.epochs={EPOCHS}", "run.backup_interval_seconds=0", "seed=0"]


def main(argv: list[str]) -> int:
    """`python train.py ARGV`, in this process."""
    return cli.main(LESSON, argv)


def run_project(*args: str, cwd: Path = PROJECT_ROOT, env: dict | None = None, timeout: int = 600):
    """Run `python train.py ARGS` in a fresh process, as a learner would."""
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "train.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def history_epochs(run_dir: Path) -> list[int]:
    path = run_dir / "history.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [int(row["epoch"]) for row in csv.DictReader(handle)]


@dataclass
class Interrupted:
    run_dir: Path
    killed: subprocess.CompletedProcess
    epochs_at_kill: list[int]
    resumed: subprocess.CompletedProcess


@pytest.fixture(autouse=True, scope="session")
def xla_choices_in_tmp(tmp_path_factory):
    """Runs with training.jit_compile: auto measure XLA on this machine and keep the answer; here, not in the
    user's cache folder (compile_choice.py). Child processes inherit it."""
    os.environ["KERAS_CLASSICS_XLA_CHOICES"] = str(tmp_path_factory.mktemp("xla") / "xla-choices.json")


@pytest.fixture(scope="session")
def killed_and_resumed(tmp_path_factory) -> Interrupted:
    """The FINISHED run as a learner runs it, with a power cut in the middle: train.py killed with SIGKILL (no
    chance to clean up) at the first step of epoch KILLED_IN_EPOCH + 1, then `train.py --resume`."""
    runs = tmp_path_factory.mktemp("runs")
    killed = run_project("--config", str(CONFIG_PATH), *FINISHED, f"run.runs_dir={runs}",
                         env={CRASH_ENV: f"epoch-{KILLED_IN_EPOCH}-batch-0"})
    (run_dir,) = runs.iterdir()
    at_kill = history_epochs(run_dir)
    return Interrupted(run_dir, killed, at_kill, run_project("--resume", str(run_dir)))


@pytest.fixture(scope="session")
def finished_run(killed_and_resumed) -> Path:
    """The run directory of killed_and_resumed, finished (test_lesson.py checks how it got there)."""
    assert killed_and_resumed.resumed.returncode == 0, killed_and_resumed.resumed.stderr[-4000:]
    return killed_and_resumed.run_dir


@pytest.fixture
def quick_config(tmp_path):
    """Load config.yaml with QUICK and any extra `key=value` overrides; runs go under tmp_path."""

    def load(*overrides: str) -> dict:
        return schema.load(CONFIG_PATH, [*QUICK, f"run.runs_dir={tmp_path / 'runs'}", *overrides])

    return load

