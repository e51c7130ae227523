"""Principal component analysis in NumPy: the linear autoencoder every nonlinear one is measured against.

PCA with k components is the best a linear encoder-decoder with a k-unit code can do: it keeps the k
directions along which the training data varies most (the top right singular vectors of the centred
data matrix) and reconstructs x as mean + (x - mean) V V^T. An autoencoder earns its nonlinearity only
by doing better with the same number of code units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PCA:
    mean: np.ndarray  # (features,)
    components: np.ndarray  # (k, features): orthonormal rows, the directions of largest variance first

    @classmethod
    def fit(cls, data: np.ndarray, num_components: int) -> PCA:
        """From the rows of `data` (examples, features); at most as many components as data has features."""
        data = np.asarray(data, dtype=np.float64)
        mean = data.mean(axis=0)
        # The SVD of the centred data, X - mean = U S V^T: the rows of V^T are the principal directions.
        _, _, directions = np.linalg.svd(data - mean, full_matrices=False)
        return cls(mean, directions[:num_components])

    def project(self, data: np.ndarray) -> np.ndarray:
        """The code of each row: its coordinates along the components, (examples, k)."""
        return (np.asarray(data, dtype=np.float64) - self.mean) @ self.components.T

    def reconstruct(self, codes: np.ndarray) -> np.ndarray:
        return codes @ self.components + self.mean
