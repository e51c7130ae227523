"""The Fréchet distance and the class spread against what they must give on known inputs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ..lesson import LESSON
from ..quality import CLASSIFIER_FILE, class_shares, diversity, frechet_distance, to_pixels
from ..runtime import run_files, training
from .conftest import FINISHED


def test_frechet_distance_of_diagonal_gaussians_has_the_closed_form():
    """For diagonal covariances d^2 = |mu1 - mu2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2; samples get close to it."""
    rng = np.random.default_rng(0)
    mean_a, mean_b = np.array([0.0, 1.0, -1.0]), np.array([0.5, 1.0, 0.0])
    var_a, var_b = np.array([1.0, 4.0, 0.25]), np.array([2.0, 1.0, 0.25])
    a = mean_a + rng.standard_normal((200_000, 3)) * np.sqrt(var_a)
    b = mean_b + rng.standard_normal((200_000, 3)) * np.sqrt(var_b)
    expected = np.sum((mean_a - mean_b) ** 2) + np.sum((np.sqrt(var_a) - np.sqrt(var_b)) ** 2)
    assert frechet_distance(a, b) == pytest.approx(expected, abs=0.02)


def test_frechet_distance_with_full_covariances_matches_the_matrix_square_root():
    """Against the definition with an eigen-decomposition square root of S1 S2 (similar to a symmetric matrix)."""
    rng = np.random.default_rng(1)
    a = rng.standard_normal((500, 4)) @ rng.standard_normal((4, 4))
    b = rng.standard_normal((500, 4)) @ rng.standard_normal((4, 4)) + 0.3
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    eigenvalues = np.linalg.eigvals(s1 @ s2)
    trace_root = np.sum(np.sqrt(eigenvalues.real.clip(0)))
    expected = np.sum((a.mean(0) - b.mean(0)) ** 2) + np.trace(s1) + np.trace(s2) - 2 * trace_root
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-6)
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-6)


def test_collapse_shows_in_the_class_spread():
    even = np.eye(10)[np.arange(1000) % 10]
    collapsed = np.eye(10)[np.full(1000, 3)]
    assert diversity(class_shares(even)) == {"classes_covered": 10, "class_entropy": pytest.approx(np.log2(10))}
    assert diversity(class_shares(collapsed)) == {"classes_covered": 1, "class_entropy": 0.0}
    np.testing.assert_allclose(class_shares(collapsed), np.eye(10)[3])


def test_generated_pixels_become_grey_levels():
    np.testing.assert_array_equal(to_pixels(np.array([-1.0, 0.0, 1.0, 1.5])), [0, 128, 255, 255])


def test_a_run_reuses_a_saved_classifier_and_says_so(quick_config, finished_run, capsys):
    first = json.loads((finished_run / "metrics.json").read_text())
    assert first["quality_classifier"]["source"] == "trained in this run"
    saved = finished_run / CLASSIFIER_FILE
    # The finished run's settings and seed, so the classifier is scored on the same synthetic test images.
    reuse = quick_config(*FINISHED, "training.epochs=1", f"quality.classifier={saved}")
    second = run_files.new_run_dir(reuse, LESSON.name)
    metrics = training.train(LESSON, reuse, second, verbose=0)
    assert metrics["quality_classifier"]["source"] == f"reused {saved}"
    assert metrics["quality_classifier"]["test_accuracy"] == first["quality_classifier"]["test_accuracy"]
    assert f"quality measures: reusing the classifier {saved}" in capsys.readouterr().out
    assert (second / CLASSIFIER_FILE).is_file(), "evaluate finds the classifier in the run directory"
