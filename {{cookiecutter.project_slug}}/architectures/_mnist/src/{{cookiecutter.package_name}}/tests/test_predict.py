"""`predict` on digit images as a learner has them: PNG of any size and colour, or NumPy arrays."""

from __future__ import annotations

import json

import numpy as np
import tensorflow as tf

from .conftest import main


def test_predict_png_and_npy(finished_run, tmp_path, capsys):
    digit = np.zeros((28, 28), dtype=np.uint8)
    digit[4:24, 13:16] = 255  # a "1"
    png = tmp_path / "one.png"
    png.write_bytes(tf.io.encode_png(digit[..., None]).numpy())
    colour_big = tmp_path / "big.png"
    doubled = np.kron(digit, np.ones((2, 2), np.uint8))
    colour_big.write_bytes(tf.io.encode_png(np.repeat(doubled[..., None], 3, axis=-1)).numpy())
    npy = tmp_path / "one.npy"
    np.save(npy, digit.astype(np.float32) / 255)
    assert main(["predict", str(finished_run), str(png), str(colour_big), str(npy), "--top", "2"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(png), str(colour_big), str(npy)]
    for line in lines:
        assert line["class"] in [str(d) for d in range(10)] and len(line["probabilities"]) == 2
    assert lines[0]["probabilities"] == lines[2]["probabilities"], "a 0-1 .npy and a 0-255 PNG are the same image"


def test_predict_rejects_other_files(finished_run, tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    fake = tmp_path / "fake.png"
    fake.write_text("not a png")
    assert main(["predict", str(finished_run), str(text)]) == 2
    assert f"error: {text}: unsupported file type '.txt'; expected .png or .npy" in capsys.readouterr().err
    assert main(["predict", str(finished_run), str(fake)]) == 2
    assert f"error: {fake}: not a readable PNG image" in capsys.readouterr().err
