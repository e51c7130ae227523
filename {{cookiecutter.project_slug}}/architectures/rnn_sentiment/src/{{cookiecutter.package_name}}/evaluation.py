"""Scoring the sentiment classifier on the test split: accuracy, precision, recall, F1 and a
confusion matrix. "Positive" (label 1) is the class precision and recall are about."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .runtime.confusion_matrix import count_confusions, plot_confusion_matrix
from .runtime.data_sources import Datasets

# The test metric a run is judged by, and what `evaluate` writes into the run directory besides metrics.json.
HEADLINE = "accuracy"
ARTIFACTS = ("confusion_matrix.png",)
THRESHOLD = 0.5  # a text is called positive when P(positive) is at least this


def summary(results: dict) -> str:
    return (f"test {HEADLINE}: {results[HEADLINE]:.4f}, precision {results['precision']:.4f}, "
            f"recall {results['recall']:.4f}, F1 {results['f1']:.4f}")


def binary_scores(labels: np.ndarray, predicted: np.ndarray) -> dict:
    """Accuracy, precision, recall and F1 of the positive class; 0 where a ratio has nothing to divide by."""
    true_positive = int(np.sum((predicted == 1) & (labels == 1)))
    predicted_positive, actual_positive = int(np.sum(predicted == 1)), int(np.sum(labels == 1))
    precision = true_positive / predicted_positive if predicted_positive else 0.0
    recall = true_positive / actual_positive if actual_positive else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": float(np.mean(labels == predicted)), "precision": precision, "recall": recall, "f1": f1}


def evaluate(model, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    """Test-set metrics as a dict; also writes run_dir/confusion_matrix.png."""
    labels, probabilities = [], []
    for texts, batch_labels in datasets.test:
        probabilities.append(np.asarray(model.predict_on_batch(texts)).reshape(-1))
        labels.append(batch_labels.numpy())
    labels, probabilities = np.concatenate(labels), np.concatenate(probabilities)
    predicted = (probabilities >= THRESHOLD).astype(np.int64)
    matrix = count_confusions(labels, predicted, 2)
    plot_confusion_matrix(matrix, datasets.class_names, run_dir / "confusion_matrix.png")
    p = np.clip(probabilities, 1e-7, 1 - 1e-7)
    return {
        "examples": int(len(labels)),
        **binary_scores(labels, predicted),
        "cross_entropy": float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))),
        "confusion_matrix": matrix.tolist(),
    }
