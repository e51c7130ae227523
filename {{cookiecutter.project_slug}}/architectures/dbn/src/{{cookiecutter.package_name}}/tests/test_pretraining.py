"""Greedy pre-training: the Dense layers start as the RBMs, and the RBMs learn real digits."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import tensorflow as tf

from .. import layers
from .. import model as model_module
from ..lesson import LESSON
from ..model import build_model
from ..runtime import run_files, training


def fit_on(images: np.ndarray):
    def fit(trainer, epochs, name):  # the runtime's fit backs a named phase up (here there is no run to back up)
        return trainer.fit(images, epochs=epochs, batch_size=64, verbose=0).history

    return fit


def test_dense_layers_hold_exactly_the_rbm_weights_before_fine_tuning(quick_config, monkeypatch):
    made = []

    class RecordedRBM(layers.RBM):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(model_module, "RBM", RecordedRBM)
    cfg = quick_config("model.hidden_units=[32, 16]", "pretraining.epochs=2")
    model = build_model(cfg)
    images = np.random.default_rng(0).integers(0, 256, (256, 28, 28, 1)).astype("uint8")
    report = model_module.pretrain(model, cfg, tf.distribute.get_strategy(), fit_on(images), run_dir=None)

    assert [rbm.units for rbm in made] == [32, 16]
    for index, rbm in enumerate(made, start=1):
        kernel, bias = model.get_layer(f"dense_{index}").get_weights()
        np.testing.assert_array_equal(kernel, rbm.kernel.numpy())
        np.testing.assert_array_equal(bias, rbm.hidden_bias.numpy())
        assert len(report["pretraining"][f"rbm_{index}"]["reconstruction_error"]) == 2
    # The second RBM learned from the first one's hidden probabilities: its visible side has 32 units.
    assert made[1].kernel.shape == (32, 16)
    flat = images.reshape(len(images), -1)[:8] / 255.0
    np.testing.assert_allclose(model.get_layer("dense_1")(flat), made[0](flat), rtol=1e-6)


def real_digits() -> Path:
    candidates = [parent / "shared/data/mnist/mnist-5k.npz" for parent in Path(__file__).resolve().parents]
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        pytest.skip("no shared/data/mnist/mnist-5k.npz next to this checkout")
    return path


def test_reconstruction_error_falls_on_real_digits(quick_config):
    """A whole run on 5,000 real digits: per-epoch numbers for each RBM, the filters picture, then fine-tuning."""
    cfg = quick_config("data.source=npz", f"data.npz_path={real_digits()}", "model.hidden_units=[64, 32]",
                       "pretraining.epochs=4", "training.epochs=1")
    run_dir = run_files.new_run_dir(cfg, LESSON.name)
    metrics = training.train(LESSON, cfg, run_dir, verbose=0)
    for name in ("rbm_1", "rbm_2"):
        errors = metrics["pretraining"][name]["reconstruction_error"]
        assert errors[-1] < 0.8 * errors[0], f"{name}: reconstruction error did not fall: {errors}"
        assert len(metrics["pretraining"][name]["free_energy_gap"]) == 4
    assert (run_dir / "rbm_1_filters.png").stat().st_size > 0
    with (run_dir / "pretraining.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["rbm"], row["epoch"]) for row in rows] == [(str(r), str(e)) for r in (1, 2) for e in range(4)]
    assert metrics["pretraining_wall_time_seconds"] > 0 and metrics["wall_time_seconds"] > 0


def test_without_pretraining_nothing_is_pretrained(quick_config):
    cfg = quick_config("model.pretrain=false")
    run_dir = run_files.new_run_dir(cfg, LESSON.name)
    metrics = training.train(LESSON, cfg, run_dir, verbose=0)
    assert metrics["pretraining"] is None
    assert not (run_dir / "pretraining.csv").exists()
