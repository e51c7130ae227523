"""Scoring a saved generator: Fréchet distance to the real test images, spread over classes, a sample grid."""

from __future__ import annotations

from pathlib import Path

import keras

from . import quality
from .runtime.data_sources import Datasets
from .runtime.i18n import _

# The test metric a run is judged by (lower is better), and what `evaluate` writes besides metrics.json.
HEADLINE = "frechet_distance"
ARTIFACTS = ("samples.png",)


def summary(results: dict) -> str:
    return _("test Fréchet distance: {distance:.2f}, classes covered: {covered} of {classes}").format(
        distance=results[HEADLINE], covered=results["classes_covered"], classes=len(results["class_shares"]))


def evaluate(model, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    """`model` is the saved generator; the features come from the run's own quality classifier."""
    classifier = keras.models.load_model(run_dir / quality.CLASSIFIER_FILE)
    real = quality.real_images(datasets.test, cfg["quality"]["samples"])
    scorer = quality.Scorer(classifier, real, model.input_shape[-1], cfg["seed"])
    results = scorer.score(model)
    grid = quality.to_pixels(model.predict(scorer.noise[: cfg["quality"]["grid_size"] ** 2], verbose=0))
    quality.plot_image_grid(grid, run_dir / "samples.png", title=_("generated (fixed noise)"))
    return {"examples": int(len(real)), **results}
