"""PCA and the nearest-neighbour measures against the linear algebra written out directly."""

from __future__ import annotations

import numpy as np

from ..neighbours import knn_accuracy, nearest_neighbours, neighbours_kept
from ..pca import PCA
from ..swiss_roll import make_swiss_roll


def correlated(rows: int = 300, features: int = 6, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((rows, features)) @ rng.standard_normal((features, features)) + rng.normal(size=features)


def test_pca_keeps_the_top_eigenvectors_of_the_covariance():
    data = correlated()
    variances, vectors = np.linalg.eigh(np.cov(data, rowvar=False))  # ascending
    pca = PCA.fit(data, 3)
    top = vectors[:, ::-1][:, :3]
    # The same directions up to sign, largest variance first.
    np.testing.assert_allclose(np.abs(pca.components @ top), np.eye(3), atol=1e-8)
    codes = pca.project(data)
    np.testing.assert_allclose(codes.var(axis=0, ddof=1), variances[::-1][:3], rtol=1e-8)
    # The squared error left is the variance of the directions left out (per value: divided by the features).
    error = np.mean((pca.reconstruct(codes) - data) ** 2)
    np.testing.assert_allclose(error, variances[:-3].sum() * (len(data) - 1) / len(data) / data.shape[1], rtol=1e-8)


def test_pca_with_every_component_reconstructs_exactly():
    data = correlated()
    pca = PCA.fit(data, data.shape[1])
    np.testing.assert_allclose(pca.reconstruct(pca.project(data)), data, atol=1e-9)


def brute_force_neighbours(points: np.ndarray, k: int) -> np.ndarray:
    distances = np.array([[np.linalg.norm(a - b) if i != j else np.inf for j, b in enumerate(points)]
                          for i, a in enumerate(points)])
    return np.argsort(distances, axis=1)[:, :k]


def test_nearest_neighbours_match_a_brute_force_search(monkeypatch):
    from .. import neighbours

    points = np.random.default_rng(3).standard_normal((120, 4))
    monkeypatch.setattr(neighbours, "CHUNK", 50)  # several blocks of rows, the last one short
    np.testing.assert_array_equal(nearest_neighbours(points, 7), brute_force_neighbours(points, 7))


def test_knn_accuracy_is_the_leave_one_out_vote():
    rng = np.random.default_rng(4)
    points, labels = rng.standard_normal((150, 2)), rng.integers(0, 3, 150)
    nearest = brute_force_neighbours(points, 5)
    votes = [np.bincount(labels[row], minlength=3).argmax() for row in nearest]
    assert knn_accuracy(points, labels, 5) == np.mean(np.array(votes) == labels)
    # Two well separated clusters: every point's neighbours share its class.
    clusters = np.concatenate([rng.normal(0, 0.1, (50, 2)), rng.normal(5, 0.1, (50, 2))])
    assert knn_accuracy(clusters, np.repeat([0, 1], 50), 5) == 1.0


def test_neighbours_kept_counts_shared_neighbours():
    points = np.random.default_rng(5).standard_normal((200, 3))
    rotation, _ = np.linalg.qr(np.random.default_rng(6).standard_normal((3, 3)))
    assert neighbours_kept(points, 2.0 * points @ rotation, 10) == 1.0  # distances only scaled: all kept
    before, after = brute_force_neighbours(points, 10), brute_force_neighbours(points[:, :2], 10)
    expected = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(before, after, strict=True)])
    assert neighbours_kept(points, points[:, :2], 10) == expected


def test_the_unrolled_sheet_keeps_the_rolls_neighbours_and_pca_does_not():
    """What the Swiss roll measure rewards: its ideal 2-D code, the sheet itself (t, height), keeps most of each
    point's 10 nearest neighbours; PCA's best plane lays the turns on top of each other and keeps far fewer."""
    points, _ = make_swiss_roll(1000, 0.0, np.random.default_rng(7))
    rng = np.random.default_rng(7)  # the same draws again, to recover each point's place on the sheet
    t = rng.uniform(1.5 * np.pi, 4.5 * np.pi, 1000)
    height = rng.uniform(0.0, 21.0, 1000)
    np.testing.assert_allclose(np.hypot(points[:, 0], points[:, 2]), t, rtol=1e-5)
    arc_length = 0.5 * (t * np.sqrt(1 + t**2) + np.arcsinh(t))  # distance along the rolled-up sheet
    sheet = neighbours_kept(points, np.stack([arc_length, height], axis=1), 10)
    flat = neighbours_kept(points, PCA.fit(points, 2).project(points), 10)
    assert sheet > 0.8 and flat < 0.6, (sheet, flat)
