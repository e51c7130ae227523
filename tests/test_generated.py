"""Run what the template makes: each project's own tests, a real train.py run, and a killed run resuming."""

from __future__ import annotations

import csv
import json
import os
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import ARCHITECTURES, QUIET_TF, run

RUN_ARTIFACTS = {"config.yaml", "model.keras", "history.csv", "metrics.json", "training_curves.png", "logs",
                 "checkpoints"}
# What each project's `evaluate` writes besides metrics.json (a translator scores BLEU, not classes).
EVALUATION_ARTIFACTS = {"seq2seq_translation": {"translations.tsv", "attention.png"},
                        "dcgan": {"samples.png", "grids", "quality_classifier.keras"},
                        "dbn": {"confusion_matrix.png", "pretraining.csv", "rbm_1_filters.png"}}
# The recurrent projects are tested with both cells; for the others the rnn_cell answer changes nothing.
RECURRENT = ("rnn_sentiment", "seq2seq_translation")
WITH_CELLS = [(a, "lstm") for a in ARCHITECTURES] + [(a, "gru") for a in ARCHITECTURES if a in RECURRENT]
SMOKE = ["data.source=synthetic", "data.synthetic_examples=256", "training.epochs=2", "training.steps_per_epoch=3",
         "training.batch_size=32", "training.early_stopping_patience=0"]


def small_model(project: Path) -> list[str]:
    """The project's own settings for a model small enough to test (src/<package>/tests/quick.py)."""
    (quick,) = project.glob("src/*/tests/quick.py")
    return runpy.run_path(str(quick))["MODEL_OVERRIDES"]


@pytest.mark.parametrize(("architecture", "rnn_cell"), WITH_CELLS)
def test_generated_project_passes_its_own_tests(bake, architecture, rnn_cell):
    project = bake(architecture=architecture, rnn_cell=rnn_cell)
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_train_py_runs_end_to_end_and_writes_every_artifact(bake, architecture):
    project = bake(architecture=architecture)
    result = run([sys.executable, "train.py", *SMOKE, *small_model(project)], cwd=project)
    assert result.returncode == 0, result.stderr[-4000:]
    (run_dir,) = (project / "runs").iterdir()
    assert run_dir.name.endswith(f"-{architecture}")
    expected = RUN_ARTIFACTS | EVALUATION_ARTIFACTS.get(architecture, {"confusion_matrix.png"})
    assert expected <= {path.name for path in run_dir.iterdir()}
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["architecture"] == architecture and metrics["epochs_completed"] == 2
    explain = run([sys.executable, "train.py", "explain"], cwd=project)
    assert explain.returncode == 0 and "agrees with the table" in explain.stdout


def history_epochs(run_dir: Path) -> list[int]:
    path = run_dir / "history.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [int(row["epoch"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_a_run_killed_with_sigkill_resumes_at_the_next_epoch(bake, architecture):
    project = bake(architecture=architecture)
    run_dir = project / "runs" / "interrupted"
    epochs = 6
    args = [sys.executable, "train.py", "--run-dir", str(run_dir), "data.source=synthetic",
            "data.synthetic_examples=3000", f"training.epochs={epochs}", "training.batch_size=32",
            "training.early_stopping_patience=0", "training.jit_compile=false", *small_model(project)]
    process = subprocess.Popen(args, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **QUIET_TF})
    deadline = time.monotonic() + 300
    while not history_epochs(run_dir) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)  # no chance to clean up, as with a power cut
    process.wait()
    done = history_epochs(run_dir)
    assert done and len(done) < epochs, f"the run should be killed part-way, after {done}"
    backup = json.loads((run_dir / "backup" / "training_metadata.json").read_text())
    assert backup["epoch"] == len(done)

    resumed = run([sys.executable, "train.py", "--resume", str(run_dir)], cwd=project)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    assert f"Epoch {len(done) + 1}/{epochs}" in resumed.stdout
    assert "Epoch 1/" not in resumed.stdout, "the resumed run must not start over"
    assert history_epochs(run_dir) == list(range(epochs)), "each epoch trained exactly once across the two runs"
    assert (run_dir / "model.keras").is_file() and not (run_dir / "backup").exists()
