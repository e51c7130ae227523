"""Scoring the sentiment classifier on the test split: accuracy, precision, recall, F1, a confusion
matrix, and the accuracy on the longest texts against the rest. "Positive" (label 1) is the class
precision and recall are about."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .runtime.confusion_matrix import count_confusions, plot_confusion_matrix
from .runtime.data_sources import Datasets
from .runtime.i18n import _

# The test metric a run is judged by, and what `evaluate` writes into the run directory besides metrics.json.
HEADLINE = "accuracy"
ARTIFACTS = ("confusion_matrix.png",)
THRESHOLD = 0.5  # a text is called positive when P(positive) is at least this


def summary(results: dict) -> str:
    return _("test {headline}: {score:.4f}, precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}").format(
        headline=HEADLINE, score=results[HEADLINE], precision=results["precision"], recall=results["recall"],
        f1=results["f1"])


def binary_scores(labels: np.ndarray, predicted: np.ndarray) -> dict:
    """Accuracy, precision, recall and F1 of the positive class; 0 where a ratio has nothing to divide by."""
    true_positive = int(np.sum((predicted == 1) & (labels == 1)))
    predicted_positive, actual_positive = int(np.sum(predicted == 1)), int(np.sum(labels == 1))
    precision = true_positive / predicted_positive if predicted_positive else 0.0
    recall = true_positive / actual_positive if actual_positive else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"accuracy": float(np.mean(labels == predicted)), "precision": precision, "recall": recall, "f1": f1}


def by_length(labels: np.ndarray, predicted: np.ndarray, words: np.ndarray) -> dict:
    """Accuracy on the longest quarter of the texts, by words read, against the other three quarters: a network
    that forgets what it read long ago has more to forget in a long text. (Texts cut to model.sequence_length
    are equally long; ties are taken in test-set order.)"""
    longest = np.zeros(len(words), dtype=bool)
    longest[np.argsort(-words, kind="stable")[: max(len(words) // 4, 1)]] = True
    rest = ~longest
    return {"accuracy_longest_quarter": float(np.mean(labels[longest] == predicted[longest])),
            "accuracy_other_three_quarters": float(np.mean(labels[rest] == predicted[rest])) if rest.any() else None,
            "longest_quarter_words": [int(words[longest].min()), int(words[longest].max())]}


def evaluate(model, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    """Test-set metrics as a dict; also writes run_dir/confusion_matrix.png."""
    labels, probabilities, words = [], [], []
    for texts, batch_labels in datasets.test:
        probabilities.append(np.asarray(model.predict_on_batch(texts)).reshape(-1))
        labels.append(batch_labels.numpy())
        # The words each text has for the network: its ids that are not padding, at most model.sequence_length.
        words.append(np.count_nonzero(np.asarray(model.get_layer("vectorize")(texts)), axis=1))
    labels, probabilities, words = np.concatenate(labels), np.concatenate(probabilities), np.concatenate(words)
    predicted = (probabilities >= THRESHOLD).astype(np.int64)
    matrix = count_confusions(labels, predicted, 2)
    plot_confusion_matrix(matrix, datasets.class_names, run_dir / "confusion_matrix.png")
    p = np.clip(probabilities, 1e-7, 1 - 1e-7)
    return {
        "examples": int(len(labels)),
        **binary_scores(labels, predicted),
        "cross_entropy": float(-np.mean(labels * np.log(p) + (1 - labels) * np.log(1 - p))),
        **by_length(labels, predicted, words),
        "confusion_matrix": matrix.tolist(),
    }
