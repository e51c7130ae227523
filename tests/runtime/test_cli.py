"""The commands as a learner types them: train, evaluate, predict, explain, and their errors."""

from __future__ import annotations

import json
import shutil

import pytest
from standin import schema
from standin.lesson import LESSON
from standin.runtime import devices, run_files
from standin.runtime.shapes import total_params

from .conftest import CONFIG_PATH, QUICK, main, refused, run_project, start_project


def test_explain_table_matches_the_built_model(capsys):
    assert main(["explain", "--config", str(CONFIG_PATH)]) == 0
    out = capsys.readouterr().out
    cfg = schema.load(CONFIG_PATH)
    expected = total_params(LESSON.layer_plan(cfg))
    assert expected == LESSON.model(cfg).count_params()
    assert f"total parameters: {expected:,}" in out
    assert "agrees with the table" in out


def test_evaluate_writes_metrics_and_its_pictures(finished_run, capsys):
    for name in LESSON.evaluation_artifacts:
        (finished_run / name).unlink()
    assert main(["evaluate", str(finished_run)]) == 0
    metrics = json.loads((finished_run / "metrics.json").read_text())
    for name in LESSON.evaluation_artifacts:
        assert (finished_run / name).is_file()
    assert metrics["evaluated_on"]["source"] == "synthetic"
    assert LESSON.summary(metrics["test"]) in capsys.readouterr().out
    assert "wall_time_seconds" in metrics, "evaluate keeps what training recorded"


def test_a_finished_run_is_never_overwritten(finished_run, capsys):
    before = (finished_run / "model.keras").read_bytes()
    assert main(["train", "--run-dir", str(finished_run), "--config", str(CONFIG_PATH), *QUICK]) == 2
    assert "this run already finished" in capsys.readouterr().err
    assert main(["train", "--resume", str(finished_run)]) == 2
    assert (finished_run / "model.keras").read_bytes() == before


def _files(folder):
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _unfinished_copy(finished_run, tmp_path):
    """The finished run as a kill after saving model.keras leaves it: no metrics.json, the mark of a finished run."""
    run_dir = tmp_path / "unfinished"
    shutil.copytree(finished_run, run_dir)
    (run_dir / "metrics.json").unlink()
    return run_dir


def test_resume_only_continues_and_a_refusal_changes_nothing(finished_run, tmp_path, capsys):
    run_dir = _unfinished_copy(finished_run, tmp_path)
    before = _files(run_dir)
    assert main(["train", "--resume", str(run_dir), "seed=7", "training.batch_size=8"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: --resume {run_dir}: cannot change seed, training.batch_size; a resumed run continues as it was "
        f"trained (only training.epochs may change, to train further): start a new run instead")
    assert _files(run_dir) == before


def test_evaluate_and_predict_say_what_is_wrong_with_a_run(finished_run, tmp_path, capsys):
    run_dir = _unfinished_copy(finished_run, tmp_path)
    inputs = [] if LESSON.command.COMMAND == "sample" else ["anything"]  # a GAN's sample command needs no input
    for command in (["evaluate", str(run_dir)], [LESSON.command.COMMAND, str(run_dir), *inputs]):
        assert main(command) == 2
        assert (f"error: {run_dir}: this run has not finished (no metrics.json); finish it with python train.py "
                f"--resume {run_dir}") in capsys.readouterr().err
    (run_dir / "metrics.json").write_text('{"test": {"accur')  # cut short by something other than this project
    assert main(["evaluate", str(run_dir)]) == 2
    assert f"error: {run_dir / 'metrics.json'}: damaged" in capsys.readouterr().err
    shutil.copy(finished_run / "metrics.json", run_dir / "metrics.json")
    model = run_dir / "model.keras"
    model.write_bytes(model.read_bytes()[:1000])
    before = _files(run_dir)
    assert main(["evaluate", str(run_dir)]) == 2
    assert f"error: {model}: damaged, Keras cannot read it" in capsys.readouterr().err
    assert _files(run_dir) == before, "a refused evaluate writes nothing"


def test_commands_on_a_folder_that_is_no_run(tmp_path, capsys):
    assert main(["evaluate", str(tmp_path)]) == 2
    assert f"error: {tmp_path}: not a run directory (no config.yaml in it)" in capsys.readouterr().err


def test_bad_setting_exits_2_before_anything_is_written(tmp_path):
    result = run_project("training.epochs=abc", f"run.runs_dir={tmp_path / 'runs'}")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: training.epochs: got 'abc'; expected an integer from 1 to 100000"
    assert not (tmp_path / "runs").exists()


def test_bad_flag_exits_non_zero(tmp_path):
    result = run_project("--no-such-flag")
    assert result.returncode == 2 and "unrecognized arguments: --no-such-flag" in result.stderr


def test_multi_worker_with_no_workers_to_join_is_refused(quick_config, monkeypatch):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    monkeypatch.delenv("SLURM_STEP_NUM_TASKS", raising=False)
    cfg = quick_config("distribute.strategy=multi_worker")
    with pytest.raises(run_files.RunError, match="no workers to join: start them with python train.py launch"):
        devices.make_strategy(cfg)


def test_launch_refuses_a_strategy_of_one_process(capsys, tmp_path):
    err = refused(capsys, tmp_path, "launch", "--workers", "2", "--config", str(CONFIG_PATH), *QUICK,
                  "distribute.strategy=none")
    assert err == ("error: distribute.strategy='none': launch trains on several workers, which is multi_worker; "
                   "leave the key out, or give auto or multi_worker")


def test_a_run_folder_that_is_a_file_is_refused(capsys, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("someone's notes")
    assert refused(capsys, tmp_path, "train", "--run-dir", str(taken), "--config", str(CONFIG_PATH), *QUICK) == (
        f"error: --run-dir {taken}: is a file; expected a folder for the run (new, or unfinished)")
    err = refused(capsys, tmp_path, "train", "--config", str(CONFIG_PATH), *QUICK, f"run.runs_dir={taken}")
    assert err == f"error: run.runs_dir={str(taken)!r}: is a file; expected a folder to make run directories in"
    assert taken.read_text() == "someone's notes"


def test_the_first_screen_is_quiet_unless_asked_for_verbose():
    """TensorFlow's C++ start-up lines (oneDNN notices, CUDA stubs, cuInit) read like failures on a machine without a
    GPU: runtime/start.py hides them; --verbose shows them again."""
    quiet = start_project("explain")
    assert quiet.returncode == 0 and "agrees with the table" in quiet.stdout
    assert quiet.stderr == "", quiet.stderr[-3000:]
    verbose = start_project("explain", "--verbose")
    assert verbose.returncode == 0 and "agrees with the table" in verbose.stdout
    tensorflow_lines = [line for line in verbose.stderr.splitlines()
                        if line.startswith(("I0000", "W0000", "E0000", "WARNING: All log messages before absl"))]
    assert tensorflow_lines, verbose.stderr[-3000:]
