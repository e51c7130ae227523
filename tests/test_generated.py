"""Run what the template makes: each project's own tests, a real train.py run, and a killed run resuming."""

from __future__ import annotations

import csv
import json
import runpy
import signal
import sys
from pathlib import Path

import pytest

from .conftest import ARCHITECTURES, TEMPLATE, run

# The real data beside the template's checkout (shared/data; its README says what is there), as CI has it.
SHARED = TEMPLATE.parent / "shared"
# The generated projects' fault-injection switch (src/<package>/storage.py).
CRASH_ENV = "KERAS_CLASSICS_CRASH_AT"

RUN_ARTIFACTS = {"config.yaml", "model.keras", "history.csv", "metrics.json", "training_curves.png", "logs",
                 "checkpoints"}
# What each project's `evaluate` writes besides metrics.json (a translator scores BLEU, not classes).
EVALUATION_ARTIFACTS = {"seq2seq_translation": {"translations.tsv", "attention.png"},
                        "dcgan": {"samples.png", "grids", "quality_classifier.keras"},
                        "dbn": {"confusion_matrix.png", "pretraining.csv", "rbm_1_filters.png"}}
# The recurrent projects are tested with both cells; for the others the rnn_cell answer changes nothing.
RECURRENT = ("rnn_sentiment", "seq2seq_translation")
WITH_CELLS = [(a, "lstm") for a in ARCHITECTURES] + [(a, "gru") for a in ARCHITECTURES if a in RECURRENT]
# For a recurrent project the answer sets one line, config.yaml's default cell (test_the_cell_answer_sets_only_
# the_default_cell checks it). With the second cell, the project's tests that build, train, save, evaluate and
# predict with its network are run; the data, config, progress and strategy tests run the same code for both.
SECOND_CELL_TESTS = ["-k", "test_model or test_cli or test_predict or test_run_writes_every_artifact or "
                           "test_the_synthetic_digits_are_learned or test_mixed_precision"]
# A short run of train.py: synthetic data, 3 steps an epoch, a backup after every epoch, no XLA compile.
SMOKE = ["data.source=synthetic", "data.synthetic_examples=256", "training.steps_per_epoch=3",
         "training.batch_size=32", "training.early_stopping_patience=0", "training.jit_compile=false",
         "run.backup_interval_seconds=0"]


def small_model(project: Path) -> list[str]:
    """The project's own settings for a model small enough to test (src/<package>/tests/quick.py)."""
    (quick,) = project.glob("src/*/tests/quick.py")
    return runpy.run_path(str(quick))["MODEL_OVERRIDES"]


@pytest.mark.parametrize(("architecture", "rnn_cell"), WITH_CELLS)
def test_generated_project_passes_its_own_tests(bake, architecture, rnn_cell):
    project = bake(architecture=architecture, rnn_cell=rnn_cell)
    if SHARED.is_dir():  # the projects' tests on real data look for shared/data beside the project
        (project.parent / "shared").symlink_to(SHARED)
    selection = SECOND_CELL_TESTS if rnn_cell == "gru" else []
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", *selection], cwd=project)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    if SHARED.is_dir():
        assert " skipped" not in result.stdout, result.stdout[-3000:]


@pytest.mark.parametrize("architecture", RECURRENT)
def test_the_cell_answer_sets_only_the_default_cell(bake, architecture):
    lstm, gru = (bake(architecture=architecture, rnn_cell=cell) for cell in ("lstm", "gru"))
    files = sorted(path.relative_to(lstm) for path in lstm.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(gru) for path in gru.rglob("*") if path.is_file())
    changed = [(name, a, b) for name in files
               for a, b in zip((lstm / name).read_text().splitlines(), (gru / name).read_text().splitlines(),
                               strict=True) if a != b]
    assert [(str(name), a.split("#")[0].strip(), b.split("#")[0].strip()) for name, a, b in changed] == \
        [("config.yaml", "rnn_cell: lstm", "rnn_cell: gru")], changed


def history_epochs(run_dir: Path) -> list[int]:
    path = run_dir / "history.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [int(row["epoch"]) for row in csv.DictReader(handle)]


# The projects whose runs are killed at every point in turn (test_a_run_killed_at_every_point_in_turn_...): the other
# five are killed once each, in the middle of a run made with the default run directory.
KILLED_AT_EVERY_POINT = ("mnist_mlp", "dbn")


@pytest.mark.parametrize("architecture", [a for a in ARCHITECTURES if a not in KILLED_AT_EVERY_POINT])
def test_train_py_killed_with_sigkill_resumes_at_the_next_epoch_and_writes_every_artifact(bake, architecture):
    """train.py end to end as a learner runs it, with a power cut in the middle: killed with SIGKILL (no chance to
    clean up) at the first step of the third epoch, then resumed."""
    project = bake(architecture=architecture)
    epochs = 4
    killed = run([sys.executable, "train.py", *SMOKE, f"training.epochs={epochs}", *small_model(project)],
                 cwd=project, env={CRASH_ENV: "epoch-2-batch-0"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    (run_dir,) = (project / "runs").iterdir()
    assert run_dir.name.endswith(f"-{architecture}")
    done = history_epochs(run_dir)
    assert done == [0, 1], f"the run should be killed in its third epoch, after {done}"
    backup = json.loads((run_dir / "backup" / "training_metadata.json").read_text())
    assert backup["epoch"] == len(done)

    resumed = run([sys.executable, "train.py", "--resume", str(run_dir)], cwd=project)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    assert f"epoch {len(done) + 1}/{epochs} " in resumed.stdout
    assert "epoch 1/" not in resumed.stdout, "the resumed run must not start over"
    assert history_epochs(run_dir) == list(range(epochs)), "each epoch trained exactly once across the two runs"
    names = {path.name for path in run_dir.iterdir()}
    assert RUN_ARTIFACTS | EVALUATION_ARTIFACTS.get(architecture, {"confusion_matrix.png"}) <= names, names
    assert "backup" not in names
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["architecture"] == architecture and metrics["epochs_completed"] == epochs


def test_a_kill_within_the_backup_interval_trains_again_from_the_last_backup(bake):
    """Short epochs are backed up every run.backup_interval_seconds (default 10), not each one: here no backup was
    due yet when the kill came."""
    project = bake(architecture="mnist_mlp")
    run_dir = project / "runs" / "interrupted"
    args = [sys.executable, "train.py", "--run-dir", str(run_dir), "data.source=synthetic",
            "data.synthetic_examples=1000", "training.epochs=4", "training.early_stopping_patience=0",
            "training.jit_compile=false", "run.backup_interval_seconds=3600", *small_model(project)]
    killed = run(args, cwd=project, env={CRASH_ENV: "epoch-2-batch-0"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    assert history_epochs(run_dir) == [0, 1] and not (run_dir / "backup" / "training_metadata.json").exists()
    assert not (run_dir / "checkpoints" / "best.keras").exists(), "the best checkpoint is written with a backup"

    resumed = run([sys.executable, "train.py", "--resume", str(run_dir)], cwd=project)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    assert "epoch 1/4 " in resumed.stdout, "nothing was backed up: the run trains again from its start"
    assert history_epochs(run_dir) == [0, 1, 2, 3], "the rows logged after the last backup are replaced, not repeated"
    assert (run_dir / "checkpoints" / "best.keras").is_file()


# Where a run is killed (storage.crash_point names them), in the order a run reaches them: inside an epoch; after an
# epoch was logged but before its backup; after fit; while and after model.keras is written; while scoring; while
# metrics.json is written. The DBN adds its own phase: inside and after the RBMs' pre-training.
CRASH_POINTS = {
    "mnist_mlp": ["epoch-1-batch-2", "epoch-1-logged", "after-fit", "writing-model.keras", "after-model",
                  "writing-confusion_matrix.png", "after-evaluation", "writing-metrics.json"],
    "dbn": ["helper-epoch-0-batch-2", "after-pretraining", "epoch-0-batch-2", "epoch-1-logged", "after-fit",
            "writing-model.keras", "after-evaluation"],
}
# Small and bit-for-bit repeatable, with early stopping on so that its state must survive the kill too.
CRASH_RUN = ["data.source=synthetic", "data.synthetic_examples=512", "training.epochs=3", "training.batch_size=64",
             "training.early_stopping_patience=2", "training.jit_compile=false", "training.deterministic=true",
             "run.backup_interval_seconds=0"]


def comparable(run_dir: Path) -> tuple[list[dict], dict]:
    """history.csv without the wall times, and the test scores: what must not depend on being interrupted."""
    with (run_dir / "history.csv").open(newline="") as handle:
        rows = [{key: value for key, value in row.items() if key != "epoch_seconds"} for row in csv.DictReader(handle)]
    return rows, json.loads((run_dir / "metrics.json").read_text())["test"]


@pytest.mark.parametrize("architecture", KILLED_AT_EVERY_POINT)
def test_a_run_killed_at_every_point_in_turn_resumes_to_the_run_never_interrupted(bake, architecture):
    """One run killed at each point in turn: each resume starts from what the kill before it left and is itself
    killed at the next point; the last one finishes. It must end exactly as the run that was never interrupted."""
    project = bake(architecture=architecture)
    start = [sys.executable, "train.py", *CRASH_RUN, *small_model(project)]
    reference = project / "runs" / "uninterrupted"
    done = run([*start, "--run-dir", str(reference)], cwd=project)
    assert done.returncode == 0, done.stderr[-4000:]

    run_dir = project / "runs" / "killed"
    command = [*start, "--run-dir", str(run_dir)]
    for point in CRASH_POINTS[architecture]:
        killed = run(command, cwd=project, env={CRASH_ENV: point})
        assert killed.returncode == -signal.SIGKILL, f"never reached {point}: {killed.stderr[-3000:]}"
        assert not (run_dir / "metrics.json").exists(), point
        command = [sys.executable, "train.py", "--resume", str(run_dir)]

    resumed = run(command, cwd=project)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    names = {path.name for path in run_dir.iterdir()}
    assert RUN_ARTIFACTS | EVALUATION_ARTIFACTS.get(architecture, {"confusion_matrix.png"}) <= names
    assert not {"backup", "unfinished.json"} & names and not list(run_dir.rglob(".*.partial*")), names
    assert comparable(run_dir) == comparable(reference), "a killed and resumed run must end as one never interrupted"
