"""Shared fixtures: the project's own config.yaml, made small and offline for tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .. import schema
from ..lesson import LESSON
from ..runtime import cli
from . import quick
from .quick import MODEL_OVERRIDES

PROJECT_ROOT = Path(__file__).resolve().parents[3]
CONFIG_PATH = PROJECT_ROOT / "config.yaml"

# The per-epoch number that falls as the project learns: the loss, or what quick.py names (the GAN has no
# loss that should fall; its Fréchet distance to the real images should).
PROGRESS = getattr(quick, "PROGRESS", "loss")
# The same for the strategy tests' 3 short epochs, where a project may need an earlier sign (the GAN's d_loss).
STRATEGY_PROGRESS = getattr(quick, "STRATEGY_PROGRESS", PROGRESS)
# What else the strategy tests change, where quick.py names something that only costs time there.
STRATEGY_OVERRIDES = getattr(quick, "STRATEGY_OVERRIDES", [])
# An optimizer that learns the synthetic data in a few steps, whatever was answered at generation.
STEADY_OPTIMIZER = ["training.optimizer=adam", "training.learning_rate=0.001"]
# A run small enough for a test: synthetic data, a few short epochs, a small model, nothing written outside tmp.
QUICK = ["data.source=synthetic", "data.synthetic_examples=512", "training.epochs=2", "training.batch_size=64",
         "training.early_stopping_patience=0", "training.jit_compile=false", *STEADY_OPTIMIZER, *MODEL_OVERRIDES]

REPEATABLE = ["training.deterministic=true"]
# The shared finished run: QUICK with deterministic ops, epochs enough to learn the synthetic data, and seed 0 (a
# seed that reads as false, so code that tests `if seed:` would lose it).
EPOCHS = 6
FINISHED = [*QUICK, *REPEATABLE, f"training.epochs={EPOCHS}", "seed=0"]


def main(argv: list[str]) -> int:
    """`python train.py ARGV`, in this process."""
    return cli.main(LESSON, argv)


@pytest.fixture
def quick_config(tmp_path):
    """Load config.yaml with QUICK and any extra `key=value` overrides; runs go under tmp_path."""

    def load(*overrides: str) -> dict:
        return schema.load(CONFIG_PATH, [*QUICK, f"run.runs_dir={tmp_path / 'runs'}", *overrides])

    return load


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory):
    """A FINISHED run trained through the command line, shared by every test that needs a finished run
    (test_same_seed_same_run_shown_one_line_per_epoch trains it again)."""
    runs = tmp_path_factory.mktemp("runs")
    assert main(["train", "--config", str(CONFIG_PATH), *FINISHED, f"run.runs_dir={runs}"]) == 0
    (run_dir,) = runs.iterdir()
    return run_dir


def run_project(*args: str, cwd: Path = PROJECT_ROOT, env: dict | None = None, timeout: int = 600):
    """Run `python train.py ARGS` in a fresh process, as a learner would."""
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "train.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", **(env or {})})


def refused(capsys, tmp_path: Path, *args: str) -> str:
    """`train.py ARGS` as a command, which must be refused (exit status 2) before it creates or changes anything
    under tmp_path; returns its stderr, one `error:` line per problem. ARGS end with overrides (or a flag that
    takes them): runs go under tmp_path unless they set run.runs_dir."""
    before = sorted(tmp_path.rglob("*"))
    capsys.readouterr()
    given_runs_dir = any(arg.startswith("run.runs_dir=") for arg in args)
    assert main([*args, *([] if given_runs_dir else [f"run.runs_dir={tmp_path / 'runs'}"])]) == 2
    err = capsys.readouterr().err
    assert err and all(line.startswith("error: ") for line in err.splitlines()), err
    assert sorted(tmp_path.rglob("*")) == before, "a refused command creates nothing"
    return err.strip()
