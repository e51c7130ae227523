"""Scoring a trained perceptron on the test points: accuracy, cross-entropy, confusion matrix, decision boundary."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import boundary
from .runtime.confusion_matrix import count_confusions, plot_confusion_matrix
from .runtime.data_sources import Datasets

# The test metric a run is judged by, and what `evaluate` writes into the run directory besides metrics.json.
HEADLINE = "accuracy"
ARTIFACTS = ("confusion_matrix.png", "decision_boundary.png", "boundary_per_epoch.png")
THRESHOLD = 0.5  # class 1 where its probability is at least this: where the output unit's sum w.x + b >= 0


def evaluate(model, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    """Test-set metrics as a dict; also writes the pictures of ARTIFACTS into run_dir."""
    pairs = [(points.numpy(), labels.numpy()) for points, labels in datasets.test]
    points, labels = (np.concatenate(parts) for parts in zip(*pairs, strict=True))
    probabilities = np.asarray(model.predict(points, batch_size=4096, verbose=0)).reshape(-1)
    predicted = (probabilities >= THRESHOLD).astype(np.int64)
    matrix = count_confusions(labels, predicted, len(datasets.class_names))
    plot_confusion_matrix(matrix, datasets.class_names, run_dir / "confusion_matrix.png")
    boundary.plot_final(model, points, labels, run_dir / "decision_boundary.png")
    boundary.plot_epochs(run_dir / "boundaries", points, labels, run_dir / "boundary_per_epoch.png")
    # Cross-entropy of the true class, the training loss.
    true_class_probability = np.where(labels == 1, probabilities, 1.0 - probabilities)
    return {
        "examples": int(len(labels)),
        "accuracy": float(np.mean(labels == predicted)),
        "cross_entropy": float(-np.mean(np.log(np.clip(true_class_probability, 1e-7, 1.0)))),
        "confusion_matrix": matrix.tolist(),
    }
