"""The lesson as the runtime runs it: its contract, its settings, its layer table, and one whole run (killed in
the middle and resumed) that writes every artifact and learns. The runtime itself is tested once, in the
template repository."""

from __future__ import annotations

import argparse
import json
import signal

import keras
import numpy as np

from .. import schema
from ..lesson import LESSON
from ..runtime.lesson import Command, Lesson
from ..runtime.plots import read_history
from ..runtime.shapes import total_params
from . import quick
from .conftest import CONFIG_PATH, EPOCHS, KILLED_IN_EPOCH, history_epochs, main

REQUIRED = ("settings", "data", "model", "compile", "evaluate", "layer_plan")
# The per-epoch number that falls as the project learns: the loss, or what quick.py names (the GAN has no loss
# that should fall; its Fréchet distance to the real images should).
PROGRESS = getattr(quick, "PROGRESS", "loss")
RUN_ARTIFACTS = {"config.yaml", "model.keras", "history.csv", "metrics.json", "training_curves.png", "logs",
                 "checkpoints", *LESSON.evaluation_artifacts, *quick.OWN_ARTIFACTS}


def test_the_lesson_gives_the_runtime_what_it_calls():
    assert isinstance(LESSON, Lesson) and LESSON.name == schema.ARCHITECTURE
    missing = [name for name in REQUIRED if getattr(type(LESSON), name) is getattr(Lesson, name)]
    assert missing == [], "required by runtime/lesson.py and not given"
    assert LESSON.evaluation_artifacts and all(isinstance(name, str) for name in LESSON.evaluation_artifacts)
    assert isinstance(LESSON.command, Command)
    LESSON.command.add_arguments(argparse.ArgumentParser())
    assert LESSON.command.COMMAND.isidentifier() and LESSON.command.HELP


def test_the_shipped_config_is_valid():
    cfg = schema.load(CONFIG_PATH)
    assert cfg["architecture"] == schema.ARCHITECTURE
    # Every project has these sections; a project may add its own (the DBN's pretraining), each declared in schema.py.
    assert {"architecture", "seed", "data", "model", "training", "distribute", "run"} <= set(cfg)
    assert set(cfg) == {key.split(".")[0] for key in schema.FIELDS}


def test_explain_table_matches_the_built_model(capsys):
    assert main(["explain", "--config", str(CONFIG_PATH)]) == 0
    out = capsys.readouterr().out
    cfg = schema.load(CONFIG_PATH)
    expected = total_params(LESSON.layer_plan(cfg))
    assert expected == LESSON.model(cfg).count_params()
    assert f"total parameters: {expected:,}" in out and "agrees with the table" in out


def test_under_mixed_precision_it_computes_in_float16_and_keeps_float32_weights_and_scores(quick_config):
    """training.mixed_precision=true: float16 maths inside, float32 weights, and a float32 score at the end (a
    float16 softmax loses the small probabilities). The runtime's suite trains under the policy; here the network
    is only built under it. A network made of networks (the GAN) is scored by its last one (the discriminator)."""
    try:
        keras.mixed_precision.set_dtype_policy("mixed_float16")
        network = LESSON.model(quick_config())
        parts = [layer for layer in network.layers if isinstance(layer, keras.Model)] or [network]
        computes = {layer.compute_dtype for part in parts for layer in part.layers if layer.weights}
        assert "float16" in computes, computes
        assert all(weight.dtype == "float32" for weight in network.weights), "weights stay float32"
        assert all(output.dtype == "float32" for output in parts[-1].outputs)
    finally:
        keras.mixed_precision.set_dtype_policy("float32")


def test_a_run_killed_with_sigkill_resumes_at_the_next_epoch_and_writes_every_artifact(killed_and_resumed):
    run = killed_and_resumed
    assert run.killed.returncode == -signal.SIGKILL, run.killed.stderr[-3000:]
    assert run.run_dir.name.endswith(f"-{LESSON.name}")
    assert run.epochs_at_kill == list(range(KILLED_IN_EPOCH)), "killed in the epoch after these"
    assert run.resumed.returncode == 0, run.resumed.stderr[-4000:]
    assert f"epoch {KILLED_IN_EPOCH + 1}/{EPOCHS} " in run.resumed.stdout
    assert "epoch 1/" not in run.resumed.stdout, "the resumed run must not start over"
    assert history_epochs(run.run_dir) == list(range(EPOCHS)), "each epoch trained exactly once across the two runs"
    names = {path.name for path in run.run_dir.iterdir()}
    assert RUN_ARTIFACTS <= names and "backup" not in names, names
    metrics = json.loads((run.run_dir / "metrics.json").read_text())
    assert metrics["architecture"] == LESSON.name and metrics["epochs_completed"] == EPOCHS
    assert np.isfinite(metrics["test"][LESSON.headline])


def test_it_learns_the_synthetic_data(finished_run):
    values = read_history(finished_run / "history.csv")[PROGRESS]
    assert values[-1] < 0.75 * values[0], f"{PROGRESS} did not fall: {values}"
    if PROGRESS == "loss":  # a project trained on labels: it also gets most validation examples right
        metrics = json.loads((finished_run / "metrics.json").read_text())
        assert metrics["final_epoch"]["val_accuracy"] > 0.5


def test_evaluate_writes_metrics_and_its_pictures(finished_run, capsys):
    for name in LESSON.evaluation_artifacts:
        (finished_run / name).unlink()
    assert main(["evaluate", str(finished_run)]) == 0
    metrics = json.loads((finished_run / "metrics.json").read_text())
    assert all((finished_run / name).is_file() for name in LESSON.evaluation_artifacts)
    assert metrics["evaluated_on"]["source"] == "synthetic"
    assert LESSON.summary(metrics["test"]) in capsys.readouterr().out
