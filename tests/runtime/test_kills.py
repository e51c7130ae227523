"""Runs killed with SIGKILL (no chance to clean up) at every point where a kill can fall, then resumed."""

from __future__ import annotations

import json
import signal

from standin.runtime.storage import CRASH_ENV

from ..test_generated import comparable, history_epochs
from .conftest import run_project

RUN_ARTIFACTS = {"config.yaml", "model.keras", "history.csv", "metrics.json", "training_curves.png", "logs",
                 "checkpoints", "confusion_matrix.png"}


def test_a_kill_within_the_backup_interval_trains_again_from_the_last_backup(tmp_path):
    """Short epochs are backed up every run.backup_interval_seconds (default 10), not each one: here no backup was
    due yet when the kill came."""
    run_dir = tmp_path / "interrupted"
    args = ["--run-dir", str(run_dir), "data.source=synthetic", "data.synthetic_examples=1000", "training.epochs=4",
            "training.early_stopping_patience=0", "run.backup_interval_seconds=3600"]
    killed = run_project(*args, env={CRASH_ENV: "epoch-2-batch-0"})
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    assert history_epochs(run_dir) == [0, 1] and not (run_dir / "backup" / "training_metadata.json").exists()
    assert not (run_dir / "checkpoints" / "best.keras").exists(), "the best checkpoint is written with a backup"

    resumed = run_project("--resume", str(run_dir))
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    assert "epoch 1/4 " in resumed.stdout, "nothing was backed up: the run trains again from its start"
    assert history_epochs(run_dir) == [0, 1, 2, 3], "the rows logged after the last backup are replaced, not repeated"
    assert (run_dir / "checkpoints" / "best.keras").is_file()


# Where a run is killed (storage.crash_point names them), in the order a run reaches them: inside the lesson's
# pre-training (two helper networks' fits, the second after the first has finished) and after it; inside an
# epoch; after an epoch was logged but before its backup; after fit; while and after model.keras is written;
# while scoring; while metrics.json is written.
CRASH_POINTS = ["helper_1-epoch-0-batch-2", "helper_1-epoch-1-logged", "helper_2-epoch-0-batch-2",
                "helper_2-epoch-1-logged", "after-pretraining", "epoch-0-batch-2",
                "epoch-1-logged", "after-fit", "writing-model.keras", "after-model", "writing-confusion_matrix.png",
                "after-evaluation", "writing-metrics.json"]
# Small and bit-for-bit repeatable, with early stopping on so that its state must survive the kill too.
CRASH_RUN = ["data.source=synthetic", "data.synthetic_examples=512", "training.epochs=3", "training.batch_size=64",
             "training.early_stopping_patience=2", "training.deterministic=true", "run.backup_interval_seconds=0",
             "model.pretrain_epochs=2"]


def test_a_run_killed_at_every_point_in_turn_resumes_to_the_run_never_interrupted(tmp_path):
    """One run killed at each point in turn: each resume starts from what the kill before it left and is itself
    killed at the next point; the last one finishes. It must end exactly as the run that was never interrupted."""
    reference = tmp_path / "uninterrupted"
    done = run_project(*CRASH_RUN, "--run-dir", str(reference))
    assert done.returncode == 0, done.stderr[-4000:]

    run_dir = tmp_path / "killed"
    command = [*CRASH_RUN, "--run-dir", str(run_dir)]
    first_phase = run_dir / "backup" / "pretraining" / "helper_1.weights.h5"
    for point in CRASH_POINTS:
        killed = run_project(*command, env={CRASH_ENV: point})
        assert killed.returncode == -signal.SIGKILL, f"never reached {point}: {killed.stderr[-3000:]}"
        assert not (run_dir / "metrics.json").exists(), point
        if point == "helper_2-epoch-0-batch-2":  # the first phase had finished: it is kept, never trained again
            kept = first_phase.stat().st_mtime_ns
        if point == "after-pretraining":
            assert first_phase.stat().st_mtime_ns == kept, "a finished pre-training phase was trained again"
        if point == "epoch-1-logged":  # epoch 0, the best so far, is backed up as the best checkpoint's second name
            record = json.loads((run_dir / "backup" / "training_metadata.json").read_text())
            assert record == {"epoch": 1, "weights": "epoch-1.keras"}, record
            assert (run_dir / "backup" / record["weights"]).samefile(run_dir / "checkpoints" / "best.keras")
        command = ["--resume", str(run_dir)]

    resumed = run_project(*command)
    assert resumed.returncode == 0, resumed.stderr[-4000:]
    names = {path.name for path in run_dir.iterdir()}
    assert RUN_ARTIFACTS <= names
    assert not {"backup", "unfinished.json"} & names and not list(run_dir.rglob(".*.partial*")), names
    assert comparable(run_dir) == comparable(reference), "a killed and resumed run must end as one never interrupted"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert [len(metrics["pretraining"][phase]) for phase in ("helper_1", "helper_2")] == [2, 2]
    assert "pretraining_wall_time_seconds" in metrics
