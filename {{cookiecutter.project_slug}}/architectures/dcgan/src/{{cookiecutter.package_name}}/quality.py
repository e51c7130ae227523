"""Measuring a generator instead of looking at it: a Fréchet distance and the spread over classes.

Fréchet distance (the idea of Heusel et al. 2017's FID): pass real and generated images through
the same feature extractor, fit a Gaussian to each cloud of feature vectors, and measure

    d^2 = |mu_real - mu_fake|^2 + trace(S_real + S_fake - 2 (S_real S_fake)^(1/2))

0 means the two clouds have the same mean and covariance. FID uses an ImageNet Inception network;
for digits a small classifier trained on the same real images gives features that know what a
digit looks like, so these numbers compare runs of this project, not papers.

Mode collapse, the generator making only a few kinds of image, shows in the classes that same
classifier assigns to generated images: with all ten digits learned, each gets about a tenth.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from .runtime.i18n import _
from .runtime.plots import plt, save_figure
from .runtime.storage import write_atomically

CLASSIFIER_FILE = "quality_classifier.keras"
FEATURES = "features"  # the classifier's layer whose outputs are compared


def build_classifier(cfg: dict, num_classes: int) -> keras.Model:
    size, channels = cfg["data"]["image_size"], cfg["data"]["channels"]
    image = keras.Input((size, size, channels), name="image")
    x = keras.layers.Rescaling(1.0 / 255)(image)
    for filters in (32, 64):
        x = keras.layers.Conv2D(filters, 3, activation="relu", padding="same")(x)
        x = keras.layers.MaxPooling2D()(x)
    # Flatten, not global pooling: where a stroke is tells a 6 from a 9 (pooled, the net scored 33 % after 3 epochs).
    x = keras.layers.Flatten()(x)
    features = keras.layers.Dense(128, activation="relu", name=FEATURES)(x)
    probabilities = keras.layers.Dense(num_classes, activation="softmax", name="class")(features)
    return keras.Model(image, probabilities, name="quality_classifier")


def epoch_callbacks(cfg: dict, datasets, run_dir: Path, fit, strategy, is_chief: bool) -> tuple[list, dict]:
    """Every epoch: the quality measures (on every worker: early stopping watches them), and a grid of images from a
    fixed noise batch (the chief's); and what metrics.json records of the classifier behind the measures."""
    classifier, report = classifier_for_run(cfg, datasets, run_dir, fit, strategy, is_chief)
    callbacks = [QualityCallback(classifier, datasets, cfg)]
    if is_chief:
        callbacks.append(ImageGridCallback(run_dir / "grids", cfg))
    return callbacks, {"quality_classifier": report}


def classifier_for_run(cfg: dict, datasets, run_dir: Path, fit, strategy, is_chief: bool) -> tuple[keras.Model, dict]:
    """The classifier named by quality.classifier, the one this run saved earlier (a resumed run), or a new one.

    fit(model, epochs) trains on the run's training images and labels. The chief saves the classifier in
    the run directory, so `evaluate` scores with the same features; every worker of a multi-worker run
    looks for it there, so that all of them train it, or none.
    """
    path = run_dir / CLASSIFIER_FILE
    given = cfg["quality"]["classifier"]
    train = False
    with strategy.scope():
        if given:
            classifier = keras.models.load_model(Path(given).expanduser())
            print(_("quality measures: reusing the classifier {path}").format(path=Path(given).expanduser()))
            origin = f"reused {Path(given).expanduser()}"
        elif path.exists():  # this run trained it before it was interrupted
            classifier = keras.models.load_model(path)
            print(_("quality measures: the classifier this run trained before it was interrupted ({path})").format(
                path=path))
            origin = "trained in this run"
        else:
            print(_("quality measures: training a classifier on the real images for {epochs} epochs (its features "
                    "give the Fréchet distance)").format(epochs=cfg["quality"]["classifier_epochs"]))
            classifier = build_classifier(cfg, len(datasets.class_names))
            classifier.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            origin, train = "trained in this run", True
    if train:
        fit(classifier, cfg["quality"]["classifier_epochs"])
    if is_chief and not path.exists():
        write_atomically(path, classifier.save)
    correct = total = 0
    for images, labels in datasets.test:
        correct += int(np.sum(in_batches(classifier, images.numpy()).argmax(axis=-1) == labels.numpy()))
        total += len(labels)
    return classifier, {"source": origin, "test_accuracy": round(correct / total, 4)}


def in_batches(model: keras.Model, inputs: np.ndarray, batch_size: int = 256):
    """Call `model` on `inputs` a batch at a time (a plain call, which works inside and outside every strategy)."""
    outputs = [model(inputs[start:start + batch_size], training=False) for start in range(0, len(inputs), batch_size)]
    if isinstance(outputs[0], (list, tuple)):
        return [np.concatenate([np.asarray(part[i]) for part in outputs]) for i in range(len(outputs[0]))]
    return np.concatenate([np.asarray(part) for part in outputs])


def frechet_distance(real: np.ndarray, fake: np.ndarray) -> float:
    """d^2 between Gaussians fitted to two sets of feature vectors (rows), in float64.

    The matrix square root's trace is sum(sqrt(eigenvalues of A S_fake A)) with A = S_real^(1/2): that
    matrix is symmetric, so a symmetric eigen-solver suffices (no SciPy needed).
    """
    real, fake = np.asarray(real, np.float64), np.asarray(fake, np.float64)
    mean_gap = real.mean(axis=0) - fake.mean(axis=0)
    cov_real, cov_fake = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    values, vectors = np.linalg.eigh(cov_real)
    root = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    cross = np.sqrt(np.clip(np.linalg.eigvalsh(root @ cov_fake @ root), 0, None)).sum()
    return float(mean_gap @ mean_gap + np.trace(cov_real) + np.trace(cov_fake) - 2 * cross)


def class_shares(probabilities: np.ndarray) -> np.ndarray:
    """The share of images the classifier assigns to each class."""
    predicted = np.asarray(probabilities).argmax(axis=-1)
    return np.bincount(predicted, minlength=np.asarray(probabilities).shape[-1]) / len(predicted)


def diversity(shares: np.ndarray) -> dict:
    """classes_covered: classes given at least 1 % of the images; class_entropy: in bits, log2(classes) at best."""
    nonzero = shares[shares > 0]
    return {"classes_covered": int((shares >= 0.01).sum()),
            "class_entropy": float(-(nonzero * np.log2(nonzero)).sum()) + 0.0}  # + 0.0: no "-0.0" for one class


def real_images(dataset, count: int) -> np.ndarray:
    """Up to `count` real images (uint8) from a batched (image, label) dataset."""
    batches, taken = [], 0
    for images, _labels in dataset:
        batches.append(np.asarray(images))
        taken += len(batches[-1])
        if taken >= count:
            break
    return np.concatenate(batches)[:count]


def to_pixels(generated) -> np.ndarray:
    """The generator's -1..1 images as grey levels 0-255 (uint8), the way real images arrive."""
    return np.clip(np.round((np.asarray(generated) + 1.0) * 127.5), 0, 255).astype(np.uint8)


class Scorer:
    """Scores a generator against a fixed set of real images, with a fixed noise batch (same every epoch)."""

    def __init__(self, classifier: keras.Model, real: np.ndarray, latent_dim: int, seed: int):
        self.features = keras.Model(classifier.input, [classifier.get_layer(FEATURES).output, classifier.output])
        self.real_features = self._predict(real)[0]
        self.noise = np.random.default_rng(seed).standard_normal((len(real), latent_dim)).astype("float32")

    def _predict(self, images: np.ndarray) -> list[np.ndarray]:
        return in_batches(self.features, images)

    def score(self, generator: keras.Model) -> dict:
        features, probabilities = self._predict(to_pixels(in_batches(generator, self.noise)))
        shares = class_shares(probabilities)
        return {"frechet_distance": frechet_distance(self.real_features, features), **diversity(shares),
                "class_shares": [round(float(share), 4) for share in shares]}


class QualityCallback(keras.callbacks.Callback):
    """Adds frechet_distance, classes_covered and class_entropy to each epoch's logs (so history.csv has them)."""

    def __init__(self, classifier: keras.Model, datasets, cfg: dict):
        super().__init__()
        self.classifier, self.datasets, self.cfg = classifier, datasets, cfg
        self.scorer = None

    def on_train_begin(self, logs=None):
        samples = self.cfg["quality"]["samples"]
        self.scorer = Scorer(self.classifier, real_images(self.datasets.test, samples), self.model.latent_dim,
                             self.cfg["seed"])

    def on_epoch_end(self, epoch, logs=None):
        result = self.scorer.score(self.model.generator)
        if logs is not None:
            logs.update({key: value for key, value in result.items() if key != "class_shares"})


class ImageGridCallback(keras.callbacks.Callback):
    """Saves grids/epoch_NNN.png: the same noise batch through the generator after every epoch."""

    def __init__(self, folder: Path, cfg: dict):
        super().__init__()
        self.folder, self.cfg = folder, cfg

    def on_train_begin(self, logs=None):
        self.folder.mkdir(parents=True, exist_ok=True)
        count = self.cfg["quality"]["grid_size"] ** 2
        self.noise = np.random.default_rng(self.cfg["seed"] + 1).standard_normal(
            (count, self.model.latent_dim)).astype("float32")

    def on_epoch_end(self, epoch, logs=None):
        images = to_pixels(in_batches(self.model.generator, self.noise))
        plot_image_grid(images, self.folder / f"epoch_{epoch + 1:03d}.png",
                        title=_("epoch {epoch}").format(epoch=epoch + 1))


def plot_image_grid(images: np.ndarray, path: Path, title: str = "") -> None:
    """Images (N, height, width, channels) of grey levels 0-255 as one square grid, 2 white pixels apart.

    The grid is tiled in NumPy and drawn as one picture: one matplotlib axis per image made each
    epoch's grid cost about a second.
    """
    count, height, width, channels = images.shape
    side = int(np.ceil(np.sqrt(count)))
    gap = 2
    canvas = np.full((side * (height + gap) - gap, side * (width + gap) - gap, channels), 255, np.uint8)
    for index, image in enumerate(images):
        row, column = divmod(index, side)
        canvas[row * (height + gap):row * (height + gap) + height,
               column * (width + gap):column * (width + gap) + width] = image
    figure, axis = plt.subplots(figsize=(side, side))
    axis.imshow(canvas[..., 0] if channels == 1 else canvas, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    axis.axis("off")
    if title:
        axis.set_title(title)
    save_figure(figure, path)
