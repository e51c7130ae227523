"""`predict` on photos as a learner has them: JPEG or PNG of any size, named by the run's classes."""

from __future__ import annotations

import json

import numpy as np
import tensorflow as tf

from .conftest import main


def test_predict_photos_of_any_size(finished_run, tmp_path, capsys):
    rng = np.random.default_rng(0)
    wide = tmp_path / "wide.jpg"
    wide.write_bytes(tf.io.encode_jpeg(rng.integers(0, 256, (90, 160, 3), dtype=np.uint8)).numpy())
    grey = tmp_path / "grey.png"
    grey.write_bytes(tf.io.encode_png(rng.integers(0, 256, (50, 50, 1), dtype=np.uint8)).numpy())
    assert main(["predict", str(finished_run), str(wide), str(grey), "--top", "2"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    class_names = json.loads((finished_run / "metrics.json").read_text())["class_names"]
    assert [line["file"] for line in lines] == [str(wide), str(grey)]
    for line in lines:
        assert line["class"] in class_names and len(line["probabilities"]) == 2
        assert line["class"] == next(iter(line["probabilities"]))


def test_predict_rejects_what_is_no_image(finished_run, tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    fake = tmp_path / "fake.jpg"
    fake.write_text("not a jpeg")
    assert main(["predict", str(finished_run), str(text)]) == 2
    assert f"error: {text}: " in capsys.readouterr().err
    assert main(["predict", str(finished_run), str(fake)]) == 2
    assert f"error: {fake}: " in capsys.readouterr().err
