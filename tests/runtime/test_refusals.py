"""The last bad inputs that broke through: each gets one clear line and exit status 2, and nothing is made or
changed (a folder that cannot be made, a comparison of one value twice or of data that is not there, an evaluate
that would score another model, image files holding NaN, a --top of nothing)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from standin.runtime.data_sources import DataError
from standin.runtime.npz_files import read_labelled_images

from .conftest import QUICK, main, refused, run_project


def test_a_run_folder_that_cannot_be_made_is_refused(capsys, tmp_path):
    assert main(["train", *QUICK, "--run-dir", "/proc/no-such-run"]) == 2
    assert capsys.readouterr().err == ("error: --run-dir /proc/no-such-run: cannot make it (No such file or "
                                       "directory); give a folder this user can write in\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    err = refused(capsys, tmp_path, "train", *QUICK, "--run-dir", str(notes / "run"))
    assert err == f"error: --run-dir {notes / 'run'}: {notes} is a file; expected a folder (new, or one to write in)"


def test_a_comparison_folder_that_cannot_be_made_is_refused(capsys, tmp_path):
    assert main(["compare", "training.epochs=1,2", "run.runs_dir=/proc/no-such-runs"]) == 2
    assert capsys.readouterr().err == ("error: run.runs_dir='/proc/no-such-runs': cannot make the comparison's "
                                       "folder in it (No such file or directory)\n")


def test_a_comparison_of_one_value_twice_is_refused(capsys, tmp_path):
    err = refused(capsys, tmp_path, "compare", "training.epochs=1,1")
    assert err == ("error: compare 'training.epochs=1,1': 1 is given twice; give each value once (--seeds N trains "
                   "a setting with N seeds)")


def test_a_comparison_whose_runs_are_refused_leaves_nothing(tmp_path):
    """Every run's data missing (tensorflow-datasets has no copy in data_dir, and there is no network): the first
    run is refused before it makes anything, and so is the comparison."""
    runs, empty = tmp_path / "runs", tmp_path / "no-datasets"
    empty.mkdir()
    result = run_project("compare", "training.epochs=1,2", "data.source=tfds", f"data.data_dir={empty}",
                         f"run.runs_dir={runs}")
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stderr.splitlines()[-1] == "error: compare: 01-epochs=1_seed=42 was refused (see above); nothing " \
                                             "was kept"
    assert not runs.exists() or not any(runs.iterdir())


def test_evaluate_refuses_to_score_another_model(finished_run, capsys):
    before = (finished_run / "metrics.json").read_bytes()
    assert main(["evaluate", str(finished_run), "model.hidden_units=4", "training.epochs=9"]) == 2
    assert capsys.readouterr().err == (f"error: evaluate {finished_run}: cannot change training.epochs, "
                                       f"model.hidden_units; the saved model is scored as it was trained (data.* may "
                                       f"change: score it on other data)\n")
    assert (finished_run / "metrics.json").read_bytes() == before


def test_predict_refuses_pixels_that_are_not_numbers_and_a_top_of_nothing(finished_run, tmp_path, capsys):
    image = np.full((28, 28), 0.5, dtype=np.float32)
    image[3, 4], image[5, 6] = np.nan, np.inf
    np.save(tmp_path / "broken.npy", image)
    assert main(["predict", str(finished_run), str(tmp_path / "broken.npy")]) == 2
    assert capsys.readouterr().err == (f"error: {tmp_path / 'broken.npy'}: holds 2 NaN or infinite values; expected "
                                       f"pixel values\n")
    np.save(tmp_path / "words.npy", np.array([["a", "b"], ["c", "d"]]))
    assert main(["predict", str(finished_run), str(tmp_path / "words.npy")]) == 2
    assert "holds <U1 values; expected numbers (pixel values)" in capsys.readouterr().err
    np.save(tmp_path / "fine.npy", np.zeros((28, 28), dtype=np.float32))
    for top in ("0", "-5"):
        with pytest.raises(SystemExit) as exit_:
            main(["predict", str(finished_run), str(tmp_path / "fine.npy"), "--top", top])
        assert exit_.value.code == 2
        assert f"--top: got {top!r}; expected a whole number of at least 1" in capsys.readouterr().err
    assert main(["predict", str(finished_run), str(tmp_path / "fine.npy"), "--top", "2"]) == 0
    assert len(json.loads(capsys.readouterr().out)["probabilities"]) == 2


def test_an_npz_with_nan_pixels_is_refused(tmp_path):
    x = np.zeros((4, 28, 28), dtype=np.float32)
    x[0, 0, 0] = np.nan
    labels = np.zeros(4, dtype=np.int64)
    np.savez(tmp_path / "digits.npz", x_train=x, y_train=labels, x_test=x, y_test=labels)
    with pytest.raises(DataError, match=r"x_train holds 1 NaN or infinite values; expected grey levels 0-255"):
        read_labelled_images(tmp_path / "digits.npz")
