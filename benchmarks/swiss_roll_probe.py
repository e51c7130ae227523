"""Can the notes' plain 3-100-50-25-10-2 autoencoder unroll the Swiss roll? A probe outside the project, in plain
Keras, to find settings worth giving the project (issue 37): each argument is one run's settings as JSON, e.g.

    python benchmarks/swiss_roll_probe.py '{"name": "tanh_code_seed2", "code_activation": "tanh", "epochs": 400,
        "batch": 32, "learning_rate": 0.003, "seed": 2}'

The roll is the project's (swiss_roll.py: t over 1.5 to 4.5 pi, height 0-21, 4,000 training and 1,000 test points,
standardized). Printed per run, on the test points: the reconstruction error; the share of each point's 10 nearest
neighbours kept among its 10 nearest codes, measured from the 3-D points and from the flat sheet (arc length along
the spiral, height); and the rank correlation of distances on the sheet with distances between codes (1.0 for a
sheet unrolled without tearing or folding), each beside PCA's 2-D projection. The codes, coloured by t and by
height, go to NAME.png.

The same measures for the project's own runs, from their run directories, with all their codes in one picture:

    python benchmarks/swiss_roll_probe.py --runs PICTURE.png runs/20261206-220502-autoencoder ...
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

TURNS, HEIGHT = (1.5 * np.pi, 4.5 * np.pi), 21.0


def roll(count: int, rng: np.random.Generator):
    t, height = rng.uniform(*TURNS, count), rng.uniform(0.0, HEIGHT, count)
    return np.stack([t * np.cos(t), height, t * np.sin(t)], axis=1).astype(np.float32), t, height


def arc_length(t):
    """Length of the spiral r = t from 0 to t: where a point lies along the unrolled sheet."""
    return 0.5 * (t * np.sqrt(1 + t * t) + np.arcsinh(t))


def nearest(points, k: int):
    points = np.asarray(points, np.float64)
    squares = (points**2).sum(axis=1)
    distances = squares[:, None] + squares[None] - 2 * points @ points.T
    np.fill_diagonal(distances, np.inf)
    return np.argpartition(distances, k, axis=1)[:, :k]


def neighbours_kept(before, after, k: int = 10) -> float:
    return float(np.mean([len(np.intersect1d(a, b)) / k for a, b in
                          zip(nearest(before, k), nearest(after, k), strict=True)]))


def distance_rank_correlation(sheet, codes, rng, pairs: int = 20_000) -> float:
    i, j = rng.integers(0, len(sheet), pairs), rng.integers(0, len(sheet), pairs)
    ranks = [np.linalg.norm(x[i] - x[j], axis=1).argsort().argsort() for x in (sheet, codes)]
    return float(np.corrcoef(*ranks)[0, 1])


def probe(name: str, code_activation=None, activation="relu", units=(100, 50, 25, 10), epochs=100, batch=128,
          learning_rate=0.001, seed=42) -> dict:
    rng = np.random.default_rng(seed)
    keras.utils.set_random_seed(seed)
    train, _, _ = roll(4000, rng)
    test, t, height = roll(1000, rng)
    mean, std = train.mean(axis=0), train.std(axis=0)
    train, test = (train - mean) / std, (test - mean) / std
    inputs = layer = keras.Input((3,))
    for width in units:
        layer = keras.layers.Dense(width, activation)(layer)
    code = layer = keras.layers.Dense(2, code_activation)(layer)
    for width in reversed(units):
        layer = keras.layers.Dense(width, activation)(layer)
    autoencoder = keras.Model(inputs, keras.layers.Dense(3)(layer))
    steps = epochs * (len(train) // batch)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.01)
    autoencoder.compile(keras.optimizers.Adam(schedule), "mse", steps_per_execution=32)
    started = time.monotonic()
    autoencoder.fit(train, train, batch_size=batch, epochs=epochs, verbose=0)
    seconds = time.monotonic() - started
    codes = keras.Model(inputs, code).predict(test, verbose=0)
    result = {"name": name, "steps": steps, "seconds": round(seconds, 1),
              "reconstruction_error": float(np.mean((autoencoder.predict(test, verbose=0) - test) ** 2)),
              **measures(test, t, height, codes, rng)}
    figure, axes = plt.subplots(1, 2, figsize=(9, 4))
    for axis, colour, title in ((axes[0], t, "colour: t (along the roll)"), (axes[1], height, "colour: height")):
        axis.scatter(codes[:, 0], codes[:, 1], c=colour, s=4, cmap="viridis")
        axis.set_title(f"{name}: {title}")
    figure.savefig(f"{name}.png", dpi=70)
    plt.close(figure)
    return result


def measures(test, t, height, codes, rng) -> dict:
    """The codes' measures and those of PCA's 2-D projection of the same test points."""
    centred = test - test.mean(axis=0)
    pca = centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T
    sheet = np.stack([arc_length(t), height], axis=1)
    return {label: {"kept_3d": neighbours_kept(test, points), "kept_sheet": neighbours_kept(sheet, points),
                    "distance_rank_correlation": distance_rank_correlation(sheet, points, rng)}
            for label, points in (("codes", codes), ("pca", pca))}


def measure_run(run_dir: str) -> tuple[dict, np.ndarray, np.ndarray, np.ndarray]:
    """The same measures for a project's finished Swiss roll run (`python train.py data.source=swiss_roll ...`):
    its test points made again as its swiss_roll.py makes them (same seed, same draws), its saved model's codes.
    Returns the measures, the codes, and each test point's t and height."""
    import yaml

    cfg = yaml.safe_load(open(f"{run_dir}/config.yaml", encoding="utf-8"))
    data, rng = cfg["data"], np.random.default_rng(cfg["seed"])
    made = []
    for count in (data["swiss_roll_examples"], max(data["swiss_roll_examples"] // 5, 1)):
        points, t, height = roll(count, rng)  # swiss_roll.py draws t, the height, then the noise
        made.append((points + data["swiss_roll_noise"] * rng.standard_normal((count, 3)), t, height))
    (train, _, _), (test, t, height) = made
    cut = len(train) - int(len(train) * data["validation_split"])
    mean, std = train[:cut].mean(axis=0), train[:cut].std(axis=0)
    test = ((test - mean) / std).astype(np.float32)
    network = keras.models.load_model(f"{run_dir}/model.keras")
    codes = keras.Model(network.input, network.get_layer("code").output).predict(test, verbose=0)
    result = {"run": run_dir, "seed": cfg["seed"], "code_activation": cfg["model"].get("code_activation", "linear"),
              **measures(test, t, height, codes, rng)}
    return result, codes, t, height


def draw_runs(measured: list, path: str) -> None:
    """One row per run: its test codes coloured by t (along the roll) and by height (across it)."""
    figure, axes = plt.subplots(len(measured), 2, figsize=(8, 3.6 * len(measured)), squeeze=False)
    for row, (result, codes, t, height) in enumerate(measured):
        for axis, colour, title in ((axes[row, 0], t, "colour: t (along the roll)"),
                                    (axes[row, 1], height, "colour: height")):
            axis.scatter(codes[:, 0], codes[:, 1], c=colour, s=4, cmap="viridis")
            axis.set_title(f"seed {result['seed']}, {result['code_activation']} code: {title}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=60)
    plt.close(figure)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--runs"]:  # python benchmarks/swiss_roll_probe.py --runs PICTURE.png RUN_DIR ...
        measured = [measure_run(run) for run in sys.argv[3:]]
        for result, *_ in measured:
            print(json.dumps(result), flush=True)
        draw_runs(measured, sys.argv[2])
    else:
        for settings in sys.argv[1:]:
            print(json.dumps(probe(**json.loads(settings))), flush=True)
