"""`encode` on digit images as a learner has them: the codes of the saved encoder, printed and saved."""

from __future__ import annotations

import json

import keras
import numpy as np
import tensorflow as tf

from .conftest import main


def test_encode_png_and_npy_and_save_the_codes(finished_run, tmp_path, capsys):
    digit = np.zeros((28, 28), dtype=np.uint8)
    digit[4:24, 13:16] = 255  # a "1"
    png = tmp_path / "one.png"
    png.write_bytes(tf.io.encode_png(digit[..., None]).numpy())
    big = tmp_path / "big.png"
    big.write_bytes(tf.io.encode_png(np.repeat(np.kron(digit, np.ones((2, 2), np.uint8))[..., None], 3, -1)).numpy())
    npy = tmp_path / "one.npy"
    np.save(npy, digit.astype(np.float32) / 255)
    output = tmp_path / "codes" / "codes.npy"
    assert main(["encode", str(finished_run), str(png), str(big), str(npy), "--output", str(output)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == [str(png), str(big), str(npy)]
    model = keras.models.load_model(finished_run / "model.keras")
    code_size = model.get_layer("code").output.shape[-1]
    codes = np.load(output)
    assert codes.shape == (3, code_size) and all(len(line["code"]) == code_size for line in lines)
    encoder = keras.Model(model.input, model.get_layer("code").output)
    np.testing.assert_allclose(codes[0], encoder.predict(digit[None, ..., None].astype("float32"), verbose=0)[0],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(codes[2], codes[0], rtol=1e-5, atol=1e-6)  # a 0-1 .npy and a 0-255 PNG: one image


def test_encode_refuses_other_files(finished_run, tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    assert main(["encode", str(finished_run), str(text)]) == 2
    assert f"error: {text}: unsupported file type '.txt'; expected .png or .npy" in capsys.readouterr().err
    assert main(["encode", str(finished_run), str(tmp_path / "missing.png")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["encode", str(finished_run), str(text), "--output", str(tmp_path / "codes.csv")]) == 2
    assert "--output: got" in capsys.readouterr().err and not (tmp_path / "codes.csv").exists()
