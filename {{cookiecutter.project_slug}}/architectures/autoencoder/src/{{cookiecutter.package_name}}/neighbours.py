"""How good is a code? Two measures by nearest neighbours, in NumPy.

k-nearest-neighbour accuracy: each example is given the class most common among its k nearest other examples
(leave one out), so a code scores well when examples of a class lie together. Neighbours kept: the share of
each example's k nearest neighbours in the input that are still among its k nearest in the code, so a code
scores well when it keeps what was close together close (a flattened Swiss roll keeps them; a projection that
lays turns of the roll on top of each other does not).
"""

from __future__ import annotations

import numpy as np

CHUNK = 1000  # rows of the distance matrix at a time: 1000 x 5000 float64 is 40 MB


def nearest_neighbours(points: np.ndarray, k: int) -> np.ndarray:
    """(examples, k): the indices of each row's k nearest other rows by Euclidean distance, nearest first."""
    points = np.asarray(points, dtype=np.float64)
    k = min(k, len(points) - 1)
    squares = np.sum(points**2, axis=1)
    found = []
    for start in range(0, len(points), CHUNK):
        rows = slice(start, start + CHUNK)
        # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, for a block of rows at once.
        distances = squares[rows, None] + squares[None, :] - 2.0 * points[rows] @ points.T
        distances[np.arange(distances.shape[0]), np.arange(start, start + distances.shape[0])] = np.inf  # not itself
        nearest = np.argpartition(distances, k, axis=1)[:, :k]
        order = np.argsort(np.take_along_axis(distances, nearest, axis=1), axis=1)
        found.append(np.take_along_axis(nearest, order, axis=1))
    return np.concatenate(found)


def knn_accuracy(codes: np.ndarray, labels: np.ndarray, k: int = 5) -> float:
    """Share of examples whose k nearest other examples vote for their own class (ties: the smallest class)."""
    labels = np.asarray(labels)
    votes = labels[nearest_neighbours(codes, k)]
    counts = np.apply_along_axis(np.bincount, 1, votes, minlength=int(labels.max()) + 1)
    return float(np.mean(counts.argmax(axis=1) == labels))


def neighbours_kept(inputs: np.ndarray, codes: np.ndarray, k: int = 10) -> float:
    """Mean share of each example's k nearest neighbours among the inputs that are among its k nearest codes."""
    before, after = nearest_neighbours(inputs, k), nearest_neighbours(codes, k)
    return float(np.mean([len(np.intersect1d(a, b)) / k for a, b in zip(before, after, strict=True)]))
