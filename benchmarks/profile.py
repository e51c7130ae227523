"""Where a project's training time goes: its own training path with one part taken away at a time.

    .venv/bin/python benchmarks/profile.py ARCHITECTURE [--rounds 2] [--epochs 14] [key=value ...]

Generates the project with its defaults (as run.py does) and trains it through its own
`training.train` on mnist-5k (or the data the overrides name), once per variant and round, each in
a fresh process, one after the other:

- `project`: the default path, unchanged;
- `no callbacks`: without the best checkpoint, CSV log, TensorBoard, backup and NaN check (the
  epoch timer stays; model.py's own callbacks, such as the GAN's quality measures, stay too);
- `plain pipeline`: the training set cached, shuffled with one seed and batched, instead of
  data_sources.pipeline's order drawn from the seed and the epoch number;
- `no progress`: without the progress display;
- then each variant again with any `--also key=value` settings (for example
  `--also training.jit_compile=true --also training.steps_per_execution=4`).

Throughput is training examples per second from the end of one epoch to the end of the next,
median over epochs 2.. of each run, so what happens between epochs counts. It prints a Markdown
table. The variants patch the generated package in memory; nothing in the project changes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import MNIST_5K, TEMPLATE, per_epoch_throughput  # benchmarks/ is on sys.path when this file runs

VARIANTS = ("project", "no callbacks", "plain pipeline", "no progress")


def train_once(project: Path, package: str, variant: str, overrides: list[str]) -> list[float]:
    """Train with one variant in this process; examples/s of each epoch after the first."""
    import importlib

    import keras
    import tensorflow as tf

    sys.path.insert(0, str(project / "src"))
    training = importlib.import_module(f"{package}.runtime.training")
    schema = importlib.import_module(f"{package}.schema")
    lesson = importlib.import_module(f"{package}.lesson").LESSON
    data_sources = importlib.import_module(f"{package}.runtime.data_sources")
    data = importlib.import_module(f"{package}.data")
    ends: list[float] = []

    class EpochEnds(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            ends.append(time.perf_counter())

    make_callbacks = training.make_callbacks

    def callbacks_of_variant(*args, **kwargs):
        callbacks = make_callbacks(*args, **kwargs)
        if variant == "no callbacks":
            callbacks = [c for c in callbacks if isinstance(c, training.EpochTimer)]
        return [*callbacks, EpochEnds()]

    training.make_callbacks = callbacks_of_variant
    if variant == "plain pipeline":
        def pipeline(dataset, batch_size, *, shuffle_buffer=None, seed=None, drop_remainder=False, padded=False):
            dataset = dataset.cache()
            if shuffle_buffer:
                dataset = dataset.shuffle(shuffle_buffer, seed=seed)
            batch = dataset.padded_batch if padded else dataset.batch
            return batch(batch_size, drop_remainder=drop_remainder).prefetch(tf.data.AUTOTUNE)

        data_sources.pipeline = data.pipeline = pipeline
    cfg = schema.load(project / "config.yaml", overrides)
    with tempfile.TemporaryDirectory() as folder:
        metrics = training.train(lesson, cfg, Path(folder) / "run", verbose=variant != "no progress")
    return per_epoch_throughput(ends, metrics["data"]["num_train"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("architecture")
    parser.add_argument("overrides", nargs="*", help="key=value settings for every run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--also", action="append", default=[], help="a key=value setting for a second set of runs")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # JSON: one run, in this process
    args = parser.parse_args()
    if args.child:
        job = json.loads(args.child)
        print("SAMPLES", json.dumps(train_once(Path(job["project"]), job["package"], job["variant"],
                                               job["overrides"])))
        return

    from cookiecutter.main import cookiecutter

    # mnist-5k unless the overrides name the data (a project that does not read MNIST)
    named = any(setting.startswith("data.") for setting in args.overrides)
    data = [] if named else ["data.source=npz", f"data.npz_path={MNIST_5K}"]
    overrides = [*data, f"training.epochs={args.epochs}", "training.early_stopping_patience=0", *args.overrides]
    with tempfile.TemporaryDirectory() as workdir:
        project = Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=workdir,
                                    extra_context={"architecture": args.architecture,
                                                   "project_name": f"profiled {args.architecture}"}))
        settings = [("", overrides)] + ([(" ".join(args.also), [*overrides, *args.also])] if args.also else [])
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for label, chosen in settings:
                for variant in VARIANTS:
                    job = {"project": str(project), "package": f"profiled_{args.architecture}", "variant": variant,
                           "overrides": chosen}
                    done = subprocess.run([sys.executable, __file__, args.architecture, "--child", json.dumps(job)],
                                          capture_output=True, text=True)
                    lines = [line for line in done.stdout.splitlines() if line.startswith("SAMPLES ")]
                    if done.returncode or not lines:
                        sys.exit(f"error: the {variant!r} run failed:\n{done.stderr[-3000:]}")
                    samples.setdefault((label, variant), []).append(statistics.median(json.loads(lines[0][8:])))
    print(f"| {args.architecture}: variant | extra settings | examples/s (median of each round) |\n|---|---|---|")
    for (label, variant), medians in samples.items():
        shown = ", ".join(f"{value:,.0f}" for value in medians)
        print(f"| {variant} | {label or '-'} | {statistics.median(medians):,.0f} ({shown}) |")


if __name__ == "__main__":
    main()
