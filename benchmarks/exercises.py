"""The mnist_mlp and lenet5 exercises of the generated READMEs, run as a learner runs them, on mnist-5k.

Each is the README's `python train.py compare ...` command with the real digits of ../shared/data
as its data; its summary table and pictures are copied next to RESULTS.md.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# architecture: {name: (what the notes say, the compare arguments)}: the generated READMEs' exercises.
EXERCISES = {
    "mnist_mlp": {
        "activations": ("sigmoid, tanh, softsign, ReLU and leaky ReLU in the default 784-512-512-10 net",
                        ["model.activation=sigmoid,tanh,softsign,relu,leaky_relu", "--seeds", "2",
                         "run.log_gradients=true"]),
        "deep-sigmoid": ("why sigmoid's gradient vanishes in a deep net: six hidden layers of 128, sigmoid against "
                         "ReLU", ["model.activation=sigmoid,relu", "model.hidden_units=[128,128,128,128,128,128]",
                                  "run.log_gradients=true"]),
        "optimizers": ("plain SGD, momentum, Adagrad, RMSprop and Adam at the default learning rate 0.001",
                       ["training.optimizer=sgd,momentum,adagrad,rmsprop,adam", "--seeds", "2"]),
    },
    "lenet5": {
        "variants": ("LeNet-5 as in 1998 against today's (ReLU, pooling, all of S2 into C3)",
                     ["model.variant=classic,modern", "--seeds", "2", "run.log_gradients=true"]),
        "pooling": ("max against average pooling in the modern LeNet-5",
                    ["model.variant=modern", "model.pooling=max,average", "--seeds", "2"]),
    },
}


def section(generate, workdir: Path, mnist_5k: Path) -> list[str]:
    lines = ["## Comparisons the course notes ask for (the mnist_mlp and lenet5 exercises)", "",
             "Each is one `python train.py compare ...` command of the generated README, on mnist-5k (4,500 "
             "training, 500 validation and 5,000 test digits: `data.source=npz data.npz_path=.../mnist-5k.npz`), "
             "with the default config otherwise (30 epochs at most, early stopping after 10 without a better "
             "validation loss). The test accuracy is the mean ± standard deviation over the seeds.", ""]
    for architecture, exercises in EXERCISES.items():
        lines += [f"### {architecture}", "", *run_exercises(generate, workdir, mnist_5k, architecture, exercises)]
    return lines


def run_exercises(generate, workdir: Path, mnist_5k: Path, architecture: str, exercises: dict) -> list[str]:
    project, _ = generate(architecture, workdir)
    lines = []
    for name, (about, arguments) in exercises.items():
        runs = project / "runs"
        shutil.rmtree(runs, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "train.py", "compare", *arguments, "data.source=npz",
                        f"data.npz_path={mnist_5k}"], cwd=project, check=True, stdout=subprocess.DEVNULL)
        minutes = (time.perf_counter() - started) / 60
        (folder,) = runs.iterdir()
        pictures = []
        for picture in ("curves.png", "gradients.png"):
            if (folder / picture).exists():
                shutil.copy(folder / picture, HERE / f"compare_{architecture}_{name}_{picture}")
                pictures.append(f"[{picture}](compare_{architecture}_{name}_{picture})")
        lines += [f"#### {about}", "", f"`python train.py compare {' '.join(arguments)}` ({minutes:.0f} min); "
                  f"pictures: {', '.join(pictures)}", "", (folder / "summary.md").read_text().strip(), "",
                  *gradient_ratios(folder)]
    return lines


def gradient_ratios(folder: Path) -> list[str]:
    """The first hidden layer's gradient over the last hidden layer's, before training and after the last epoch."""
    ratios = []
    for run_dir in sorted(path for path in folder.iterdir() if (path / "gradients.csv").exists()):
        with (run_dir / "gradients.csv").open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        layers = [key for key in rows[0] if key != "epoch"]  # input side first, the output layer last
        first, last = (float(row[layers[0]]) / float(row[layers[-2]]) for row in (rows[0], rows[-1]))
        ratios.append(f"{run_dir.name}: {first:.2g} before training, {last:.2g} after epoch {rows[-1]['epoch']}")
    if not ratios:
        return []
    return ["Gradient size (root mean square) of the first hidden layer over the last hidden layer's, per run: "
            + "; ".join(ratios) + ".", ""]
