"""`train.py compare` as a learner runs it: real runs of two projects, a power cut, a resume, and runs side by side."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from .conftest import QUIET_TF, run
from .test_generated import comparable, history_epochs, small_model

# Tiny, repeatable runs on synthetic data, each layer's gradient logged.
TINY = ["data.source=synthetic", "data.synthetic_examples=512", "training.batch_size=64",
        "training.early_stopping_patience=0", "training.jit_compile=false", "training.mixed_precision=false",
        "training.deterministic=true",
        "run.backup_interval_seconds=0", "run.log_gradients=true"]


def summary_rows(folder: Path) -> list[dict]:
    with (folder / "summary.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def check_finished(folder: Path, runs: int, headline: str) -> list[Path]:
    run_dirs = sorted(path for path in folder.iterdir() if path.is_dir() and path.name[:2].isdigit())
    assert len(run_dirs) == runs, run_dirs
    for run_dir in run_dirs:
        names = {path.name for path in run_dir.iterdir()}
        assert {"config.yaml", "model.keras", "history.csv", "metrics.json", "gradients.csv", "gradients.png"} <= names
        assert "backup" not in names
    assert {"summary.csv", "summary.md", "curves.png", "gradients.png", "comparison.json"} <= \
        {path.name for path in folder.iterdir()}
    rows = summary_rows(folder)
    per_setting = runs // len(rows)  # the runs of a setting (one per seed) come one after the other
    for index, row in enumerate(rows):
        scores = [json.loads((run_dir / "metrics.json").read_text())["test"][headline]
                  for run_dir in run_dirs[index * per_setting:(index + 1) * per_setting]]
        assert float(row[f"test_{headline}_mean"]) == pytest.approx(sum(scores) / len(scores)), (row, scores)
    assert list(folder.rglob("events.out.tfevents.*")), "no TensorBoard records"
    return run_dirs


def test_a_comparison_killed_mid_run_resumes_without_training_a_finished_run_again(cookies):
    result = cookies.bake(extra_context={"architecture": "mnist_mlp"})
    project = Path(result.project_path)
    command = [sys.executable, "train.py", "compare", "model.activation=sigmoid,relu", *TINY, "training.epochs=4",
               "model.hidden_units=[32, 32, 32, 32, 32, 32]", "run.runs_dir=sequential"]
    process = subprocess.Popen(command, cwd=project, env={**os.environ, **QUIET_TF}, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # A power cut while the second run trains: its first epoch is backed up and its metrics are not yet written.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        second = list((project / "sequential").glob("*/02-*"))
        if second and (second[0] / "backup" / "training_metadata.json").exists() and \
                not (second[0] / "metrics.json").exists():
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.02)
    assert process.wait() == -signal.SIGKILL, "the comparison ended before the second run was part-way"
    (folder,) = (project / "sequential").iterdir()
    first = next(folder.glob("01-*")) / "metrics.json"
    finished = first.read_bytes(), first.stat().st_mtime_ns
    assert not (folder / "summary.csv").exists()

    resumed = run([sys.executable, "train.py", "compare", "--resume", str(folder)], cwd=project)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    assert "compare: 1 of 2 runs already finished" in resumed.stdout
    assert "resuming 02-activation=relu_seed=" in resumed.stdout and "starting" not in resumed.stdout
    assert (first.read_bytes(), first.stat().st_mtime_ns) == finished, "a finished run was trained again"
    run_dirs = check_finished(folder, 2, "accuracy")
    assert history_epochs(run_dirs[1]) == [0, 1, 2, 3]
    sigmoid, relu = (list(csv.DictReader((run_dir / "gradients.csv").open())) for run_dir in run_dirs)
    assert [int(row["epoch"]) for row in sigmoid] == [0, 1, 2, 3, 4], "before training, then after each epoch"
    assert float(sigmoid[0]["dense_1"]) < 0.01 * float(sigmoid[0]["dense_6"]), "sigmoid's first layer learns slowest"
    assert float(relu[0]["dense_1"]) > 0.1 * float(relu[0]["dense_6"])
    assert [int(row["epoch"]) for row in relu] == [0, 1, 2, 3, 4], "the killed run's rows, each once"

    # The same comparison two runs at a time gives the same runs.
    side_by_side = run([*command[:-1], "run.runs_dir=parallel", "--parallel", "2"], cwd=project)
    assert side_by_side.returncode == 0, side_by_side.stderr[-4000:]
    (other,) = (project / "parallel").iterdir()
    assert [comparable(run_dir) for run_dir in run_dirs] == [comparable(run_dir) for run_dir in
                                                             sorted(other.glob("0*"))]
    assert sorted(path.name for path in (other / "logs").iterdir()) == [f"{run_dir.name}.txt" for run_dir in run_dirs]


def test_a_translator_comparison_of_seeds(cookies):
    """The translator's runs, scored by BLEU, compared over seeds alone (the mnist_mlp test above compares
    settings): one setting, two runs, their mean in the summary."""
    result = cookies.bake(extra_context={"architecture": "seq2seq_translation"})
    project = Path(result.project_path)
    done = run([sys.executable, "train.py", "compare", "--seeds", "2", "model.attention=luong", *TINY,
                *small_model(project), "training.epochs=2"], cwd=project)
    assert done.returncode == 0, done.stderr[-4000:]
    (folder,) = (project / "runs").iterdir()
    assert folder.name.endswith("-compare-seeds")
    run_dirs = check_finished(folder, 2, "bleu")
    seeds = [yaml.safe_load((run_dir / "config.yaml").read_text())["seed"] for run_dir in run_dirs]
    assert seeds[1] == seeds[0] + 1 and [run_dir.name for run_dir in run_dirs] == [f"0{n + 1}-seed={seed}" for
                                                                                  n, seed in enumerate(seeds)]
    rows = summary_rows(folder)
    assert [(row["setting"], row["seeds"]) for row in rows] == [("seeds", "2")]
    assert "| seeds | 2 |" in (folder / "summary.md").read_text()
