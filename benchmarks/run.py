"""Throughput and accuracy of generated projects, measured on this machine; writes benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py [--part images|recurrent|generative|all] [--rounds 3] [--epochs 12]

For each MNIST project: generate it with its defaults, then alternate, in fresh processes on a
pseudo-terminal, (a) its own `python train.py` (tf.data pipeline, callbacks, checkpoints, backups,
TensorBoard, CSV log, its progress display) and (b) benchmarks/plain_keras.py, the strongest plain
Keras for the same network, in the ways BASELINES lists. Throughput is training examples per
second from the end of one epoch to the end of the next (the first epoch, which compiles, is left
out), so what happens between epochs counts. AlexNet still alternates the project's
`training.train` with a bare `model.fit` on NumPy arrays in one process, timed within epochs.
Accuracy is a full default training run on real data from ../shared/data, scored on its test
split. The recurrent projects are measured by recurrent.py, the DBN and the DCGAN by generative.py.
Each part rewrites only its own section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import pty
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import generative  # noqa: E402  (benchmarks/ is on sys.path when this file runs)
import numpy as np  # noqa: E402
import recurrent  # noqa: E402
from cookiecutter.main import cookiecutter  # noqa: E402

TEMPLATE = Path(__file__).resolve().parents[1]
SHARED_DATA = TEMPLATE.parent / "shared" / "data"
MNIST_5K = SHARED_DATA / "mnist" / "mnist-5k.npz"
HYMENOPTERA = SHARED_DATA / "images-hymenoptera"
# The real-data AlexNet run: a smaller batch than the prompt's default suits 218 training photos.
ALEXNET_REAL = ["training.batch_size=32", "training.learning_rate=0.0001"]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def generate(architecture: str, workdir: Path):
    """Bake the template and import the generated package."""
    project = Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(workdir), overwrite_if_exists=True,
                                extra_context={"architecture": architecture, "project_name": f"bench {architecture}"}))
    sys.path.insert(0, str(project / "src"))
    package = f"bench_{architecture}"
    return project, {name: importlib.import_module(f"{package}.{name}")
                     for name in ("schema", "training", "model", "data", "plots", "architecture")}


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def bare_fit_throughput(modules, cfg, arrays, epochs: int) -> list[float]:
    """Examples/s per epoch of a plain `model.fit` on NumPy arrays: Keras defaults otherwise."""
    import keras

    x_train, y_train, x_val, y_val = arrays
    model = modules["model"].build_model(cfg)
    model.compile(optimizer=keras.optimizers.Adam(cfg["training"]["learning_rate"]), loss=modules["model"].LOSS,
                  metrics=modules["model"].METRICS)
    timer = modules["training"].EpochTimer()
    seconds = []
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: seconds.append(logs["epoch_seconds"]))
    model.fit(x_train, y_train, batch_size=cfg["training"]["batch_size"], epochs=epochs, verbose=0,
              validation_data=(x_val, y_val), callbacks=[timer, record])
    return [len(x_train) / s for s in seconds[1:]]


def project_throughput(modules, cfg, run_dir: Path, num_train: int) -> tuple[list[float], dict]:
    metrics = modules["training"].train(cfg, run_dir, verbose=0)
    seconds = modules["plots"].read_history(run_dir / "history.csv")["epoch_seconds"]
    return [num_train / s for s in seconds[1:]], metrics


def result_row(label: str, data: str, batch: int, bare: list[float], ours: list[float], settings: str,
               metrics: dict, default: dict, wall: float) -> dict:
    """One line of RESULTS.md: the throughput samples and the accuracy run's metrics."""
    return {
        "architecture": label, "data": data, "batch_size": batch, "settings": settings,
        "bare": statistics.median(bare), "ours": statistics.median(ours), "bare_all": bare, "ours_all": ours,
        "accuracy": metrics["test"]["accuracy"], "test_examples": metrics["test"]["examples"],
        "epochs": metrics["epochs_completed"], "max_epochs": default["training"]["epochs"], "wall": wall,
        "parameters": metrics["parameters"],
    }


def run_in_terminal(command: list[str], cwd: Path, log: Path) -> None:
    """Run `command` as a learner runs it in a terminal: on a pseudo-terminal, so each progress display draws as it
    does there (Keras's bar after every step, the project's a few times a second); what it prints goes to `log`."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    controller, terminal = pty.openpty()
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    with open(log, "wb") as output:
        while True:
            try:
                chunk = os.read(controller, 1 << 16)
            except OSError:  # the process closed its terminal
                break
            if not chunk:
                break
            output.write(chunk)
    os.close(controller)
    if process.wait():
        sys.exit(f"error: {' '.join(command)} failed; see {log}")


def epoch_ends(run_dir: Path) -> list[float]:
    """When each epoch of a project's run ended, from its own TensorBoard log (written after the best checkpoint
    and the CSV row; each backup falls between two of these)."""
    import tensorflow as tf

    stamps = []
    for path in sorted((run_dir / "logs" / "train").glob("events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(str(path)):
            event = tf.compat.v1.Event.FromString(record.numpy())
            if any(value.tag == "epoch_loss" for value in event.summary.value):
                stamps.append(event.wall_time)
    return stamps


def per_epoch_throughput(stamps: list[float], examples: int) -> list[float]:
    """Examples/s of every epoch after the first (which compiles): the time from one epoch's end to the next, so
    whatever happens between epochs (checkpoints, backups, logs) is paid for."""
    return [examples / (later - earlier) for earlier, later in zip(stamps[1:], stamps[2:], strict=False)]


# The baselines of benchmarks/plain_keras.py: (where the shift runs, steps per compiled call; None = the project's).
# The first two are the plain Keras the ratio is taken against; the third adds the project's steps_per_execution.
BASELINES = {"model": ("model", 1), "pipeline": ("pipeline", 1), "model, project's steps": ("model", None)}


def measure(project: Path, run_dir: Path, overrides: list[str]) -> list[float]:
    """Examples/s of each epoch after the first of one `python train.py` run, on a pseudo-terminal."""
    run_in_terminal([sys.executable, "train.py", "--run-dir", str(run_dir), *overrides], project,
                    run_dir.with_suffix(".log"))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    return per_epoch_throughput(epoch_ends(run_dir), metrics["data"]["num_train"])


def like_for_like(project: Path, overrides: list[str], rounds: int, epochs: int, workdir: Path, label: str,
                  project_steps: int):
    """Examples/s per epoch of `python train.py` and of benchmarks/plain_keras.py (BASELINES), alternating, each in a
    fresh process on a pseudo-terminal; each round's ratio is the project's median over the better of the first two
    baselines' medians (and, apart, over the third's)."""
    ours, bare, ratios, spe_ratios, plain = [], {name: [] for name in BASELINES}, [], [], {}
    for index in range(rounds):
        medians = {}
        for name, (shift_in, steps) in BASELINES.items():
            tag = f"{label}-plain-{shift_in}-{steps or project_steps}-{index}"
            run_in_terminal([sys.executable, str(Path(__file__).with_name("plain_keras.py")), str(project), "--npz",
                             str(MNIST_5K), "--epochs", str(epochs), "--shift-in", shift_in, "--steps-per-execution",
                             str(steps or project_steps), "--out", str(workdir / f"{tag}.json"), *overrides], project,
                            workdir / f"{tag}.log")
            plain[name] = json.loads((workdir / f"{tag}.json").read_text())
            samples = per_epoch_throughput(plain[name]["epoch_ends"], plain[name]["num_train"])
            bare[name] += samples
            medians[name] = statistics.median(samples)
        run_dir = workdir / "runs" / f"{label}-{index}"
        round_ours = measure(project, run_dir, overrides)
        metrics = json.loads((run_dir / "metrics.json").read_text())
        ours += round_ours
        first, second, third = medians.values()
        ratios.append(statistics.median(round_ours) / max(first, second))
        spe_ratios.append(statistics.median(round_ours) / third)
    return ours, bare, ratios, spe_ratios, metrics, {name: run["jit_compile"] for name, run in plain.items()}


def mnist_family(architecture: str, variant: list[str], rounds: int, epochs: int, workdir: Path) -> dict:
    """Throughput against the strongest plain Keras and accuracy of one MNIST project (`variant` overrides) on
    mnist-5k, both with the default config."""
    project, modules = generate(architecture, workdir)
    schema = modules["schema"]
    label = architecture + "".join(f" {setting.split('=')[1]}" for setting in variant)
    real = ["data.source=npz", f"data.npz_path={MNIST_5K}", *variant]
    timed = [*real, f"training.epochs={epochs}", "training.early_stopping_patience=0"]
    cfg = schema.load(project / "config.yaml", timed)
    ours, bare, ratios, spe_ratios, timed_metrics, plain_xla = like_for_like(
        project, timed, rounds, epochs, workdir, label.replace(" ", "-"), cfg["training"]["steps_per_execution"])

    default = schema.load(project / "config.yaml", [*real, f"run.runs_dir={workdir / 'runs'}"])
    started = time.perf_counter()
    metrics = modules["training"].train(default, workdir / "runs" / f"{label}-accuracy", verbose=0)
    accuracy_wall = time.perf_counter() - started
    sys.path.remove(str(project / "src"))
    settings = (f"XLA used: project {timed_metrics['jit_compile']}, plain with the shift in the model "
                f"{plain_xla['model']}, in the pipeline {plain_xla['pipeline']}; project "
                f"steps_per_execution={cfg['training']['steps_per_execution']}")
    better = max(["model", "pipeline"], key=lambda name: statistics.median(bare[name]))
    row = result_row(label, "mnist-5k.npz: 4,500 train / 500 validation / 5,000 test", cfg["training"]["batch_size"],
                     bare[better], ours, settings, metrics, default, accuracy_wall)
    return {**row, "ratios": ratios, "spe_ratios": spe_ratios,
            "baselines": {name: statistics.median(samples) for name, samples in bare.items()}}


def matmul_gflops(size: int = 4096, repeats: int = 10) -> float:
    """GFLOP/s of a float32 size x size matrix product in TensorFlow: this machine's practical ceiling."""
    import tensorflow as tf

    a = tf.random.normal((size, size))
    b = tf.random.normal((size, size))
    tf.linalg.matmul(a, b).numpy()  # warm up
    started = time.perf_counter()
    for _ in range(repeats):
        product = tf.linalg.matmul(a, b)
    product.numpy()
    return 2 * size**3 * repeats / (time.perf_counter() - started) / 1e9


def alexnet(rounds: int, epochs: int, workdir: Path) -> dict:
    """Images/s of the full 227x227 network on synthetic data, project path against a bare fit, as GFLOP/s
    beside a large matrix multiply; then a real training run on the ants-and-bees folder."""
    project, modules = generate("alexnet", workdir)
    schema, data, architecture = modules["schema"], modules["data"], modules["architecture"]
    batch = 32
    timed = ["data.source=synthetic", "data.synthetic_examples=320", "data.validation_split=0.1",
             f"training.batch_size={batch}", f"training.epochs={epochs}", "training.early_stopping_patience=0",
             f"run.runs_dir={workdir / 'runs'}"]
    cfg = schema.load(project / "config.yaml", timed)
    datasets = data.load_datasets(cfg, batch)
    x_train = np.concatenate([x.numpy() for x, _ in datasets.train]).astype("float32")
    y_train = np.concatenate([y.numpy() for _, y in datasets.train])
    x_val = np.concatenate([x.numpy() for x, _ in datasets.validation]).astype("float32")
    y_val = np.concatenate([y.numpy() for _, y in datasets.validation])
    arrays = (x_train, y_train, x_val, y_val)

    ceilings, bare, ours = [], [], []
    for index in range(rounds):
        ceilings.append(matmul_gflops())
        bare += bare_fit_throughput(modules, cfg, arrays, epochs)
        samples, timed_metrics = project_throughput(modules, cfg, workdir / "runs" / f"alexnet-{index}", len(x_train))
        ours += samples
    train_flops = 3 * architecture.forward_flops(cfg)

    real = ["data.source=folder", f"data.train_dir={HYMENOPTERA / 'train'}", f"data.test_dir={HYMENOPTERA / 'val'}",
            "model.num_classes=2", *ALEXNET_REAL, f"run.runs_dir={workdir / 'runs'}"]
    default = schema.load(project / "config.yaml", real)
    started = time.perf_counter()
    metrics = modules["training"].train(default, workdir / "runs" / "alexnet-accuracy", verbose=0)
    accuracy_wall = time.perf_counter() - started
    sys.path.remove(str(project / "src"))
    described = (f"throughput: synthetic 227x227 ({len(x_train)} train); accuracy: images-hymenoptera "
                 f"({metrics['data']['num_train']} train / 153 test), {' '.join(ALEXNET_REAL)}")
    row = result_row("alexnet", described, batch, bare, ours, f"XLA used: {timed_metrics['jit_compile']}, tf.data "
                     "pipeline", metrics, default, accuracy_wall)
    return {
        **row,
        "gflops": {"train_gflop_per_image": train_flops / 1e9, "ours": statistics.median(ours) * train_flops / 1e9,
                   "bare": statistics.median(bare) * train_flops / 1e9, "matmul": statistics.median(ceilings),
                   "matmul_all": ceilings},
    }


NOTES = [
    "- `mnist_mlp`: for scale, a plain Keras MLP 784-512-512-10 with dropout scores 91.8 % on the same split after "
    "20 epochs (../shared/data/README.md). The default config reaches its accuracy with dropout 0.3 and random "
    "shifts of up to 10 % while training (`model.augment_shift`); without the shifts it scored about 93.0 % "
    "(measured while choosing the defaults). What the project does that plain Keras does not: the shift is "
    "random_shift.py's `RandomShift` (two small matrix products per image, which XLA compiles, where Keras's "
    "`RandomTranslation` turns XLA off for the whole step); 4 steps per compiled call; a progress display that "
    "redraws a few times a second instead of after every step, with every callback's step hook off the "
    "training thread; a backup every 10 s of training (`run.backup_interval_seconds`) instead of every epoch.",
    "- `lenet5`: targets 94.0 % (classic) and 96.0 % (modern) on this split; a plain Keras LeNet-5-style "
    "ReLU/max-pool net scores 94.6 % after 20 epochs (13 s). Both variants use the default random shifts.",
    "- `alexnet`: throughput is the full 227x227 network (5 classes) on synthetic images; the accuracy run "
    "trains it from scratch on 218 photos (24 held out for validation) and scores the 153 validation photos "
    "of the folder, a test of the pipeline on real data rather than of AlexNet's ImageNet accuracy.",
]


def measured_on(command: str) -> str:
    import keras
    import tensorflow as tf

    return (f"Measured {time.strftime('%Y-%m-%d')} with `{command}` on {cpu_name()} ({os.cpu_count()} cores, no "
            f"GPU), Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}.")


def image_section(rows: list[dict], command: str) -> list[str]:
    lines = [
        "## Image projects",
        "",
        f"{measured_on(command)} "
        "Throughput: training examples per second, from the end of one epoch to the end of the next (epochs 2.. "
        "of every round), so checkpoints, backups and logs between epochs are paid for. MNIST projects: the "
        "project's own `python train.py` with its default config (random shifts, progress display, best "
        "checkpoint, backup, TensorBoard and CSV logs) against benchmarks/plain_keras.py, the strongest plain "
        "Keras for the same network: `tf.data` with cache, shuffle, batch and prefetch; the same batch, hold-out, "
        "optimizer and validation; Keras's progress bar (`verbose=1`); the shift done by Keras's "
        "`RandomTranslation`, either in the model (Keras then turns XLA off) or on each batch in the `tf.data` "
        "pipeline (XLA on for the network); Keras's default of one step per compiled call. Every process runs "
        "on a pseudo-terminal, as in a learner's terminal, and they alternate in fresh processes; the ratio is "
        "the median over rounds of the project's median over the faster baseline's. `alexnet`: still against a "
        "bare `model.fit` on NumPy arrays, in one process (not yet the strong baseline). Accuracy: one full "
        "training run with the project's default config on real data, scored on the test split. Runs on this "
        "2-core machine vary by 10-20 % from one process to the next.",
        "",
        "| architecture | data | batch | project (ex/s) | baseline (ex/s) | ratio (rounds) | settings | "
        "test accuracy | epochs run | wall time |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratios = row.get("ratios") or [row["ours"] / row["bare"]]
        shown = ", ".join(f"{r:.2f}" for r in ratios)
        lines.append(
            f"| `{row['architecture']}` | {row['data']} | "
            f"{row['batch_size']} | {row['ours']:,.1f} | {row['bare']:,.1f} | "
            f"{statistics.median(ratios):.2f}x ({shown}) | "
            f"{row['settings']} | {row['accuracy']:.2%} ({row['test_examples']:,} images) | "
            f"{row['epochs']} of {row['max_epochs']} | {row['wall']:.1f} s |")
    lines += ["", "The MNIST baselines one by one (median examples/s), and the project against plain Keras that also "
                  "runs the project's steps per compiled call:", "",
              "| architecture | project | plain, shift in the model | plain, shift in the pipeline | plain, shift in "
              "the model, project's steps per call | ratio to that (rounds) |", "|---|---|---|---|---|---|"]
    for row in rows:
        if "baselines" in row:
            model, pipeline, with_steps = row["baselines"].values()
            shown = ", ".join(f"{r:.2f}" for r in row["spe_ratios"])
            lines.append(f"| `{row['architecture']}` | {row['ours']:,.0f} | {model:,.0f} | {pipeline:,.0f} | "
                         f"{with_steps:,.0f} | {statistics.median(row['spe_ratios']):.2f}x ({shown}) |")
    for row in rows:
        if "gflops" in row:
            g = row["gflops"]
            lines += ["", f"`{row['architecture']}` compute: one training image costs {g['train_gflop_per_image']:.2f} "
                          f"GFLOP (3 x the forward pass's multiply-adds x 2). Achieved: project path "
                          f"{g['ours']:.0f} GFLOP/s, bare fit {g['bare']:.0f} GFLOP/s, against {g['matmul']:.0f} "
                          f"GFLOP/s for a 4096x4096 float32 matmul measured before each round "
                          f"({', '.join(f'{v:.0f}' for v in g['matmul_all'])}): the project path reaches "
                          f"{g['ours'] / g['matmul']:.0%} of the matmul ceiling."]
    lines += ["", "Notes:", "", *NOTES]
    lines += ["", "Per-epoch throughput samples (examples/s), for the record:", ""]
    for row in rows:
        lines.append(f"- `{row['architecture']}` project: {', '.join(f'{v:,.0f}' for v in row['ours_all'])}")
        lines.append(f"- `{row['architecture']}` bare fit: {', '.join(f'{v:,.0f}' for v in row['bare_all'])}")
    return lines


def write_section(part: str, lines: list[str]) -> None:
    """Replace this part's section of RESULTS.md (between its markers), keeping the other parts' sections."""
    begin, end = f"<!-- begin {part} -->", f"<!-- end {part} -->"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    section = "\n".join([begin, *lines, end])
    if begin in text and end in text:
        text = text[: text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("images", "recurrent", "generative", "all"), default="all",
                        help="which projects to run")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of project path and bare fit")
    parser.add_argument("--epochs", type=int, default=12, help="epochs per throughput measurement")
    args = parser.parse_args()
    needed = [MNIST_5K, recurrent.MR, recurrent.MULTI30K]
    if not all(path.exists() for path in needed):
        sys.exit(f"error: {', '.join(str(p) for p in needed if not p.exists())} not found; the benchmarks need "
                 f"../shared/data beside the template")
    command = "make benchmark" + ("" if args.part == "all" else f" PART={args.part}")
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        if args.part in ("images", "all"):
            rows = [mnist_family("mnist_mlp", [], args.rounds, args.epochs, workdir),
                    mnist_family("lenet5", ["model.variant=classic"], args.rounds, args.epochs, workdir),
                    mnist_family("lenet5", ["model.variant=modern"], args.rounds, args.epochs, workdir),
                    alexnet(args.rounds, 4, workdir)]
            write_section("images", image_section(rows, command))
        if args.part in ("recurrent", "all"):
            lines = ["## Recurrent projects", "", measured_on(command), "", *recurrent.sentiment(generate, workdir), "",
                     *recurrent.translation(generate, workdir)]
            write_section("recurrent", lines)
        if args.part in ("generative", "all"):
            lines = ["## Beyond a plain fit: DBN and DCGAN", "", measured_on(command), "",
                     *generative.dbn(generate, workdir), "", *generative.dcgan(generate, workdir)]
            write_section("generative", lines)
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
