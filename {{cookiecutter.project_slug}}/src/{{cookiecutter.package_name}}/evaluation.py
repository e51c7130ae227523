"""Scoring a trained classifier on the test split: accuracy, loss and a confusion matrix."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .runtime.confusion_matrix import count_confusions, plot_confusion_matrix
from .runtime.data_sources import Datasets

# The test metric a run is judged by, and what `evaluate` writes into the run directory besides metrics.json.
HEADLINE = "accuracy"
ARTIFACTS = ("confusion_matrix.png",)


def evaluate(model, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    """Test-set metrics as a dict; also writes run_dir/confusion_matrix.png. (`cfg` is for projects whose
    scoring has settings, such as a translator's beam width; a classifier needs none.)"""
    labels, probabilities = [], []
    for images, batch_labels in datasets.test:
        probabilities.append(np.asarray(model.predict_on_batch(images)))
        labels.append(batch_labels.numpy())
    labels, probabilities = np.concatenate(labels), np.concatenate(probabilities)
    predicted = probabilities.argmax(axis=-1)
    names = datasets.class_names
    matrix = count_confusions(labels, predicted, len(names))
    plot_confusion_matrix(matrix, names, run_dir / "confusion_matrix.png")
    # Cross-entropy of the true class, the training loss without the regularization penalty.
    true_class_probability = probabilities[np.arange(len(labels)), labels]
    return {
        "examples": int(len(labels)),
        "accuracy": float(np.mean(labels == predicted)),
        "cross_entropy": float(-np.mean(np.log(np.clip(true_class_probability, 1e-7, 1.0)))),
        "confusion_matrix": matrix.tolist(),
    }
