"""Scoring a trained autoencoder on the test split, against PCA with as many components as the code has units.

Reconstruction error: the mean squared error per input value (grey levels scaled to 0-1), of the autoencoder
and of PCA fitted on the training inputs. The codes: k-nearest-neighbour accuracy (do examples of a class lie
together?) and neighbours kept (is what was close in the input still close in the code?), of the codes and
of PCA's projection (neighbours.py). Two pictures: test inputs beside both reconstructions, and the codes
beside PCA's 2-D projection, coloured by class.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from .architecture import IMAGE_SHAPE, input_scale, input_shape
from .neighbours import knn_accuracy, neighbours_kept
from .pca import PCA
from .runtime.data_sources import Datasets
from .runtime.i18n import _
from .runtime.plots import plt, save_figure

# The test metric a run is judged by (lower is better), and what `evaluate` writes besides metrics.json.
HEADLINE = "reconstruction_error"
ARTIFACTS = ("reconstructions.png", "codes.png")
VOTERS, NEIGHBOURS = 5, 10  # k of the k-nearest-neighbour accuracy and of the neighbours kept
PCA_EXAMPLES = 10_000  # training inputs PCA is fitted on, at most (all of mnist-5k's)


def summary(results: dict) -> str:
    values = {"error": results[HEADLINE], "pca_error": results["pca_reconstruction_error"], "k": VOTERS,
              "knn": results["knn_accuracy"], "pca_knn": results["pca_knn_accuracy"]}
    if "accuracy" in results:
        return _("test reconstruction error: {error:.4f} (PCA: {pca_error:.4f}), {k}-NN accuracy of the codes: "
                 "{knn:.3f} (PCA: {pca_knn:.3f}), classifier accuracy: {accuracy:.4f}").format(
            accuracy=results["accuracy"], **values)
    return _("test reconstruction error: {error:.4f} (PCA: {pca_error:.4f}), {k}-NN accuracy of the codes: "
             "{knn:.3f} (PCA: {pca_knn:.3f})").format(**values)


def evaluate(network, datasets: Datasets, run_dir: Path, cfg: dict) -> dict:
    inputs, labels = [], []
    for batch, batch_labels in datasets.test:
        inputs.append(batch.numpy())
        labels.append(batch_labels.numpy())
    inputs, labels = np.concatenate(inputs), np.concatenate(labels)
    vectors = as_vectors(inputs, cfg)
    outputs = network.predict(inputs, verbose=0)
    encoder = keras.Model(network.input, network.get_layer("code").output)
    codes = np.asarray(encoder.predict(inputs, verbose=0), dtype=np.float64)
    pca = PCA.fit(training_vectors(datasets, cfg), codes.shape[1])
    pca_codes = pca.project(vectors)
    pca_reconstruction = pca.reconstruct(pca_codes)

    plot_reconstructions(vectors, outputs["reconstruction"], pca_reconstruction, labels, cfg,
                         run_dir / "reconstructions.png")
    # Digits are ten separate classes (ten distinct colours); the roll's stretches follow each other (a scale).
    colours = "tab10" if input_shape(cfg) == IMAGE_SHAPE else "viridis"
    plot_codes(codes, pca_codes, labels, datasets.class_names, colours, run_dir / "codes.png")
    results = {
        "examples": int(len(labels)),
        "code_size": int(codes.shape[1]),
        HEADLINE: float(np.mean((outputs["reconstruction"] - vectors) ** 2)),
        "pca_reconstruction_error": float(np.mean((pca_reconstruction - vectors) ** 2)),
        "knn_accuracy": knn_accuracy(codes, labels, VOTERS),
        "pca_knn_accuracy": knn_accuracy(pca_codes, labels, VOTERS),
        "neighbours_kept": neighbours_kept(vectors, codes, NEIGHBOURS),
        "pca_neighbours_kept": neighbours_kept(vectors, pca_codes, NEIGHBOURS),
    }
    if "class" in outputs:
        results["accuracy"] = float(np.mean(np.argmax(outputs["class"], axis=-1) == labels))
    return results


def as_vectors(inputs: np.ndarray, cfg: dict) -> np.ndarray:
    """Inputs as the network's first layer and its reconstruction see them: one scaled row each."""
    return inputs.reshape(len(inputs), -1).astype(np.float64) * input_scale(cfg)


def training_vectors(datasets: Datasets, cfg: dict) -> np.ndarray:
    found, count = [], 0
    for batch, _labels in datasets.train:
        found.append(as_vectors(batch.numpy(), cfg))
        count += len(found[-1])
        if count >= PCA_EXAMPLES:
            break
    return np.concatenate(found)[:PCA_EXAMPLES]


def plane(codes: np.ndarray) -> tuple[np.ndarray, str]:
    """Codes to draw on a page: 2-D as they are, longer ones by their own first two principal components."""
    if codes.shape[1] == 2:
        return codes, _("code unit 1, code unit 2")
    if codes.shape[1] == 1:
        return np.concatenate([codes, np.zeros_like(codes)], axis=1), _("code unit 1")
    return PCA.fit(codes, 2).project(codes), _("first two principal components of the codes")


def plot_codes(codes: np.ndarray, pca_codes: np.ndarray, labels: np.ndarray, class_names: list[str], colours: str,
               path: Path) -> None:
    """Hinton & Salakhutdinov's figure 3: the autoencoder's codes beside PCA's first two components."""
    shown, how = plane(codes)
    figure, axes = plt.subplots(1, 2, figsize=(12, 5.5))
    for axis, points, title in ((axes[0], shown, _("autoencoder codes ({how})").format(how=how)),
                                (axes[1], pca_codes[:, :2], _("PCA: first two principal components"))):
        scatter = axis.scatter(points[:, 0], points[:, 1], c=labels, cmap=colours, s=4, vmin=-0.5,
                               vmax=len(class_names) - 0.5)
        axis.set_title(title)
    colour_bar = figure.colorbar(scatter, ax=axes, ticks=range(len(class_names)))
    colour_bar.ax.set_yticklabels(class_names)
    save_figure(figure, path)


def plot_reconstructions(vectors: np.ndarray, reconstructions: np.ndarray, pca_reconstructions: np.ndarray,
                         labels: np.ndarray, cfg: dict, path: Path) -> None:
    """Digits: one test image of each class, above the autoencoder's reconstruction and PCA's. The Swiss roll:
    the test points in 3-D, and both reconstructions (PCA's lies flat on a plane)."""
    rows = ((_("test input"), vectors), (_("autoencoder"), reconstructions), ("PCA", pca_reconstructions))
    if input_shape(cfg) != IMAGE_SHAPE:
        figure = plt.figure(figsize=(15, 5))
        for column, (title, points) in enumerate(rows, start=1):
            axis = figure.add_subplot(1, 3, column, projection="3d")
            axis.scatter(points[:, 0], points[:, 1], points[:, 2], c=labels, cmap="viridis", s=3)
            axis.set_title(title)
        save_figure(figure, path)
        return
    chosen = [np.flatnonzero(labels == label)[0] for label in np.unique(labels)][:10]
    figure, axes = plt.subplots(3, len(chosen), figsize=(len(chosen), 3.3), squeeze=False)
    for row, (title, images) in enumerate(rows):
        for column, index in enumerate(chosen):
            axes[row, column].imshow(np.reshape(images[index], IMAGE_SHAPE[:2]), cmap="gray", vmin=0, vmax=1)
            axes[row, column].axis("off")
        axes[row, 0].set_title(title, loc="left", fontsize=8)
    save_figure(figure, path)
