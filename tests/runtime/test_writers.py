"""One writer per run: a second process that would train a run already being trained is refused, and a
comparison killed on its own takes its running run with it (run_lock.py, comparison_runs.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import psutil
from standin.lesson import LESSON
from standin.runtime import comparison, run_lock
from standin.runtime.storage import CRASH_ENV

from ..conftest import QUIET_TF
from ..test_generated import history_epochs
from .conftest import CONFIG_PATH, PROJECT_ROOT, QUICK, main, run_project


def wait_for(condition, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.02)


def test_two_resumes_of_one_run_the_second_is_refused(tmp_path):
    run_dir = tmp_path / "interrupted"
    killed = run_project(*QUICK, "--run-dir", str(run_dir), "run.backup_interval_seconds=0",
                         env={CRASH_ENV: "epoch-1-batch-0"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    first = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "train.py"), "--resume", str(run_dir),
                              "training.epochs=30"], cwd=PROJECT_ROOT, env={**os.environ, **QUIET_TF},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: f"process {first.pid} " in (run_lock.holder(run_dir) or "") or first.poll() is not None)
    second = run_project("--resume", str(run_dir), "training.epochs=30")
    assert first.wait() == 0, first.stderr.read()[-3000:]
    assert second.returncode == 2, second.stderr[-3000:]
    assert second.stderr.startswith(f"error: {run_dir}: is being trained by process {first.pid} on "), second.stderr
    assert "one run has one writer: wait for that process to end" in second.stderr
    assert history_epochs(run_dir) == list(range(30)), "each epoch trained once, by one writer"
    assert json.loads((run_dir / "metrics.json").read_text())["epochs_completed"] == 30


def test_a_comparison_killed_on_its_own_takes_its_run_with_it_and_resumes_at_once(tmp_path):
    """`kill -9` of compare alone (not its process group): its running train.py dies with it (Linux), so a resume
    started at once is the run's one writer."""
    runs = tmp_path / "runs"
    parent = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "train.py"), "compare", "training.epochs=25,1",
                               *QUICK[:2], "run.backup_interval_seconds=0", f"run.runs_dir={runs}"],
                              cwd=PROJECT_ROOT, env={**os.environ, **QUIET_TF}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wait_for(lambda: list(runs.glob("*/01-*/history.csv")) and psutil.Process(parent.pid).children())
    (child,) = psutil.Process(parent.pid).children()
    os.kill(parent.pid, signal.SIGKILL)
    assert parent.wait() == -signal.SIGKILL
    wait_for(lambda: not child.is_running() or child.status() == psutil.STATUS_ZOMBIE, seconds=1)
    (folder,) = runs.iterdir()
    resumed = run_project("compare", "--resume", str(folder))
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    first, second = sorted(folder.glob("0*"))
    assert history_epochs(first) == list(range(25)) and history_epochs(second) == [0]
    assert json.loads((first / "metrics.json").read_text())["epochs_completed"] == 25


def test_compare_resume_waits_for_a_run_still_training(tmp_path, capsys):
    """Where no signal ties a run to its compare (macOS, Windows), the run's lock keeps a resume out."""
    folder, steps = comparison.start(LESSON, CONFIG_PATH, ["training.epochs=1,2", f"run.runs_dir={tmp_path}"], 1)
    run_dir = folder / steps["runs"][0]["dir"]
    run_dir.mkdir()
    run_lock.hold(run_dir)  # this test process plays the run that is still training
    try:
        before = sorted(folder.rglob("*"))
        assert main(["compare", "--resume", str(folder)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: compare --resume {folder}: {steps['runs'][0]['dir']} (process {os.getpid()} ")
        assert "still training; one run has one writer" in err
        assert sorted(folder.rglob("*")) == before
    finally:
        run_lock.release(run_dir)
