"""`sample` from a saved run: PNG files or a grid, repeatable with a seed, never over earlier output."""

from __future__ import annotations

import json

import numpy as np
import tensorflow as tf

from .conftest import main


def test_sample_writes_png_files_that_repeat_with_a_seed(finished_run, tmp_path, capsys):
    for name in ("first", "second"):
        assert main(["sample", str(finished_run), "--count", "3", "--seed", "7", "--output",
                         str(tmp_path / name)]) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert report["images"] == 3 and len(report["written"]) == 3
    for index in range(1, 4):
        first = tf.io.decode_png((tmp_path / "first" / f"sample_{index:04d}.png").read_bytes()).numpy()
        second = tf.io.decode_png((tmp_path / "second" / f"sample_{index:04d}.png").read_bytes()).numpy()
        assert first.shape == (28, 28, 1)
        np.testing.assert_array_equal(first, second)


def test_sample_grid_and_default_folder(finished_run, capsys):
    assert main(["sample", str(finished_run), "--count", "9", "--grid"]) == 0
    (written,) = json.loads(capsys.readouterr().out)["written"]
    assert written.startswith(str(finished_run / "samples-")) and written.endswith("grid.png")


def test_sample_refuses_bad_counts_and_used_folders(finished_run, tmp_path, capsys):
    assert main(["sample", str(finished_run), "--count", "0"]) == 2
    assert "error: --count: got 0; expected a whole number from 1 to 10000" in capsys.readouterr().err
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep.png").write_bytes(b"earlier work")
    assert main(["sample", str(finished_run), "--output", str(used)]) == 2
    assert "that folder is not empty" in capsys.readouterr().err
    assert (used / "keep.png").read_bytes() == b"earlier work"
