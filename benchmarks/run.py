"""Throughput and accuracy of generated projects, measured on this machine; writes benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py [--part images|others|growth|recurrent|generative|exercises|all]
                                       [--rounds 3]

For each MNIST project: generate it with its defaults, then alternate, in fresh processes on a
pseudo-terminal, (a) its own `python train.py` (tf.data pipeline, callbacks, checkpoints, backups,
TensorBoard, CSV log, its progress display) and (b) benchmarks/plain_keras.py, the strongest plain
Keras for the same network, in the ways BASELINES lists. Throughput is training examples per
second from the end of one epoch to the end of the next (the first epoch, which compiles, is left
out), so what happens between epochs counts. The other five projects (--part others) are measured
the same way against plain Keras on their own loaders' batches (plain_keras.py says how), AlexNet
also against a large matrix product's speed; --part growth runs mnist_mlp and AlexNet at batch sizes
32-512 and with 1 and 2 CPU replicas (growth.py). Accuracy is a full default training run on real
data from ../shared/data, scored on its test split. The recurrent projects' accuracy and BLEU are
measured by recurrent.py, the DBN's and the DCGAN's by generative.py; --part exercises runs
the mnist_mlp and lenet5 READMEs' `compare` exercises (exercises.py).
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

import cluster  # noqa: E402  (benchmarks/ is on sys.path when this file runs)
import exercises  # noqa: E402
import generative  # noqa: E402
import growth  # noqa: E402
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
    modules = {name.rpartition(".")[2]: importlib.import_module(f"{package}.{name}")
               for name in ("schema", "lesson", "runtime.training", "model", "data", "runtime.plots", "architecture")}
    return project, modules


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def result_row(label: str, data: str, batch: int, bare: list[float], ours: list[float], settings: str,
               metrics: dict, default: dict, wall: float) -> dict:
    """One line of RESULTS.md: the throughput samples and the accuracy run's metrics."""
    return {
        "architecture": label, "data": data, "batch_size": batch, "settings": settings,
        "bare": statistics.median(bare) if bare else None, "ours": statistics.median(ours) if ours else None,
        "bare_all": bare, "ours_all": ours,
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

    stamps: dict[int, float] = {}
    for path in sorted((run_dir / "logs" / "train").glob("events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(str(path)):
            event = tf.compat.v1.Event.FromString(record.numpy())
            # Keras writes each epoch's logs one value per event, all with the epoch as step; the GAN has no
            # "loss", so every epoch_* value counts and an epoch ends with its last.
            if any(value.tag.startswith("epoch_") for value in event.summary.value):
                stamps[event.step] = max(stamps.get(event.step, 0.0), event.wall_time)
    return [stamps[step] for step in sorted(stamps)]


def per_epoch_throughput(stamps: list[float], examples: int) -> list[float]:
    """Examples/s of every epoch after the first (which compiles): the time from one epoch's end to the next, so
    whatever happens between epochs (checkpoints, backups, logs) is paid for."""
    return [examples / (later - earlier) for earlier, later in zip(stamps[1:], stamps[2:], strict=False)]


def measure_plain(project: Path, workdir: Path, tag: str, arguments: list[str], overrides: list[str]):
    """One run of benchmarks/plain_keras.py on a pseudo-terminal: what it wrote, and examples/s of each epoch after
    the first."""
    out = workdir / f"{tag}.json"
    run_in_terminal([sys.executable, str(Path(__file__).with_name("plain_keras.py")), str(project), *arguments, "--out",
                     str(out), *overrides], project, workdir / f"{tag}.log")
    run = json.loads(out.read_text())
    return run, per_epoch_throughput(run["epoch_ends"], run["num_train"])


# The baselines of benchmarks/plain_keras.py: (where the shift runs, steps per compiled call; None = the project's).
# The first two are the plain Keras the ratio is taken against; the third adds the project's steps_per_execution.
BASELINES = {"model": ("model", 1), "pipeline": ("pipeline", 1), "model, project's steps": ("model", None)}


def measure(project: Path, run_dir: Path, overrides: list[str]) -> list[float]:
    """Examples/s of each epoch after the first of one `python train.py` run, on a pseudo-terminal."""
    run_dir.parent.mkdir(parents=True, exist_ok=True)
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
            plain[name], samples = measure_plain(
                project, workdir, f"{label}-plain-{shift_in}-{steps or project_steps}-{index}",
                ["--npz", str(MNIST_5K), "--epochs", str(epochs), "--shift-in", shift_in, "--steps-per-execution",
                 str(steps or project_steps)], overrides)
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
    metrics = modules["training"].train(modules["lesson"].LESSON, default, workdir / "runs" / f"{label}-accuracy",
                                        verbose=0)
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


def alexnet_accuracy(workdir: Path) -> dict:
    """A full default training run of AlexNet on the ants-and-bees folder; its speed is in the "others" part."""
    project, modules = generate("alexnet", workdir)
    real = ["data.source=folder", f"data.train_dir={HYMENOPTERA / 'train'}", f"data.test_dir={HYMENOPTERA / 'val'}",
            "model.num_classes=2", *ALEXNET_REAL, f"run.runs_dir={workdir / 'runs'}"]
    default = modules["schema"].load(project / "config.yaml", real)
    started = time.perf_counter()
    metrics = modules["training"].train(modules["lesson"].LESSON, default, workdir / "runs" / "alexnet-accuracy",
                                        verbose=0)
    accuracy_wall = time.perf_counter() - started
    sys.path.remove(str(project / "src"))
    described = (f"images-hymenoptera ({metrics['data']['num_train']} train / 153 test), {' '.join(ALEXNET_REAL)}; "
                 "speed: see the next section")
    return result_row("alexnet", described, default["training"]["batch_size"], [], [], "-", metrics, default,
                      accuracy_wall)


# The throughput runs of the five projects measured against plain Keras on their own loaders' batches: data and the
# few settings that make a run short (the network and everything else stay the defaults), and the epochs per run.
# DBN: one pre-training epoch per RBM, since only the fine-tuning epochs are timed; 12 of them, because its epochs
# last under a second, and 6 gave only 4 timed epochs a run, too few to outweigh this machine's pauses.
LOADER_RUNS = {
    "alexnet": (["data.source=synthetic", "data.synthetic_examples=320", "data.validation_split=0.1",
                 "training.batch_size=32"], 5),
    "rnn_sentiment": (["data.source=csv", f"data.train_csv={recurrent.MR / 'train.csv'}",
                       f"data.test_csv={recurrent.MR / 'test.csv'}"], 5),
    "seq2seq_translation": (["data.source=synthetic"], 4),
    "dbn": (["data.source=npz", f"data.npz_path={MNIST_5K}", "pretraining.epochs=1"], 12),
    "dcgan": (["data.source=npz", f"data.npz_path={MNIST_5K}"], 5),
}


def against_plain_keras(architecture: str, rounds: int, workdir: Path) -> dict:
    """Examples/s per epoch of `python train.py` and of plain Keras on the same batches (XLA on and off), alternating
    in fresh processes on a pseudo-terminal; each round's ratio is the project's median over the faster baseline's."""
    project, modules = generate(architecture, workdir)
    sys.path.remove(str(project / "src"))
    data, epochs = LOADER_RUNS[architecture]
    overrides = [*data, f"training.epochs={epochs}", "training.early_stopping_patience=0"]
    ours, bare, ratios, ceilings, plain = [], {"on": [], "off": []}, [], [], {}
    for index in range(rounds):
        if architecture == "alexnet":
            ceilings.append(matmul_gflops())
        medians = {}
        for jit in bare:
            if jit == "off" and plain.get("on", {}).get("jit_compile") is False:
                continue  # Keras turned XLA off for this network: the second run would be the first again
            plain[jit], samples = measure_plain(project, workdir, f"{architecture}-plain-jit-{jit}-{index}",
                                                ["--epochs", str(epochs), "--jit", jit], overrides)
            bare[jit] += samples
            medians[jit] = statistics.median(samples)
        run_dir = workdir / "runs" / f"{architecture}-{index}"
        round_ours = measure(project, run_dir, overrides)
        ours += round_ours
        ratios.append(statistics.median(round_ours) / max(medians.values()))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    row = {"architecture": architecture, "settings": " ".join(overrides).replace(str(SHARED_DATA), "../shared/data"),
           "num_train": metrics["data"]["num_train"],
           "ours": ours, "bare": bare, "ratios": ratios, "xla": {"project": metrics["jit_compile"],
           **{f"plain, jit {jit}": run["jit_compile"] for jit, run in plain.items()}}}
    if ceilings:
        train_flops = 3 * modules["architecture"].forward_flops(modules["schema"].load(project / "config.yaml",
                                                                                       overrides))
        row["gflops"] = {"per_image": train_flops / 1e9, "matmul": ceilings,
                         "ours": statistics.median(ours) * train_flops / 1e9,
                         "bare": max(statistics.median(v) for v in bare.values() if v) * train_flops / 1e9}
    return row


def loader_section(rows: list[dict], command: str) -> list[str]:
    lines = [
        "## The other five projects against plain Keras", "",
        f"{measured_on(command)} Throughput as in the image section: training examples per second from the end of "
        "one epoch to the end of the next (epochs 2.. of every round), the project's own `python train.py` with its "
        "default config against benchmarks/plain_keras.py, alternating in fresh processes on a pseudo-terminal. The "
        "plain side builds the same network with the project's `build_model` (the DCGAN with its own `train_step`), "
        "compiles it with the project's optimizer and loss, and fits it with Keras's progress bar (`verbose=1`) on "
        "the batches the project's loader makes, cached after the first epoch, shuffled batch by batch and "
        "prefetched (the keras-io text examples' pipeline); once with `jit_compile=True` and once with `False`, "
        "and the ratio is the project's median over the faster one's, per round. No checkpoints, backups, logs, "
        "or per-epoch extras on the plain side: the DCGAN project's Fréchet distance and image grid every epoch, "
        "part of its default, are inside its time. DBN: the fine-tuning epochs only (the RBM pre-training comes "
        "before them, one epoch per RBM in these runs). Accuracy, BLEU and Fréchet distance with the default "
        "config are in the sections on each project.", "",
        "| architecture | settings changed for a short run | train examples | project (ex/s) | plain, XLA on | "
        "plain, XLA off | ratio (rounds) | XLA used |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        shown = ", ".join(f"{r:.2f}" for r in row["ratios"])
        xla = ", ".join(f"{side} {used}" for side, used in row["xla"].items())
        off = (f"{statistics.median(row['bare']['off']):,.1f}" if row["bare"]["off"]
               else "as XLA on (Keras turned it off)")
        lines.append(f"| `{row['architecture']}` | `{row['settings']}` | {row['num_train']:,} | "
                     f"{statistics.median(row['ours']):,.1f} | {statistics.median(row['bare']['on']):,.1f} | "
                     f"{off} | {statistics.median(row['ratios']):.2f}x "
                     f"({shown}) | {xla} |")
    for row in rows:
        if "gflops" in row:
            g = row["gflops"]
            matmul = statistics.median(g["matmul"])
            lines += ["", f"`{row['architecture']}` compute: one training image costs {g['per_image']:.2f} GFLOP (3 x "
                          f"the forward pass's multiply-adds x 2). Achieved: project {g['ours']:.0f} GFLOP/s, the "
                          f"faster plain Keras {g['bare']:.0f} GFLOP/s, against {matmul:.0f} GFLOP/s for a 4096x4096 "
                          f"float32 matmul measured before each round ({', '.join(f'{v:.0f}' for v in g['matmul'])}):"
                          f" the project reaches {g['ours'] / matmul:.0%} of the matmul ceiling, plain Keras "
                          f"{g['bare'] / matmul:.0%}."]
    lines += ["", "Per-epoch throughput samples (examples/s), for the record:", ""]
    for row in rows:
        lines.append(f"- `{row['architecture']}` project: {', '.join(f'{v:,.1f}' for v in row['ours'])}; plain XLA "
                     f"on: {', '.join(f'{v:,.1f}' for v in row['bare']['on'])}; plain XLA off: "
                     f"{', '.join(f'{v:,.1f}' for v in row['bare']['off'])}")
    return lines


NOTES = [
    "- `mnist_mlp`: for scale, a plain Keras MLP 784-512-512-10 with dropout scores 91.8 % on the same split after "
    "20 epochs (../shared/data/README.md). The default config reaches its accuracy with dropout 0.3 and random "
    "shifts of up to 10 % while training (`model.augment_shift`); without the shifts it scored about 93.0 % "
    "(measured while choosing the defaults). What the project does that plain Keras does not: the shift is "
    "random_shift.py's `RandomShift` (two small matrix products per image, which XLA compiles, where Keras's "
    "`RandomTranslation` turns XLA off for the whole step); 16 steps per compiled call; a progress display that "
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
        "the median over rounds of the project's median over the faster baseline's. `alexnet`: accuracy only "
        "here; its speed against plain Keras is in the next section (`make benchmark PART=others`). Accuracy: one full "
        "training run with the project's default config on real data, scored on the test split. Runs on this "
        "2-core machine vary by 10-20 % from one process to the next.",
        "",
        "| architecture | data | batch | project (ex/s) | baseline (ex/s) | ratio (rounds) | settings | "
        "test accuracy | epochs run | wall time |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.get("ratios"):
            shown = ", ".join(f"{r:.2f}" for r in row["ratios"])
            speed = (f"{row['ours']:,.1f} | {row['bare']:,.1f} | {statistics.median(row['ratios']):.2f}x "
                     f"({shown})")
        else:
            speed = "- | - | -"
        lines.append(
            f"| `{row['architecture']}` | {row['data']} | {row['batch_size']} | {speed} | "
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
    lines += ["", "Notes:", "", *NOTES]
    lines += ["", "Per-epoch throughput samples (examples/s), for the record:", ""]
    for row in rows:
        if not row["ours_all"]:
            continue
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
    parser.add_argument("--part", choices=("images", "others", "growth", "recurrent", "generative", "exercises",
                                           "cluster", "all"),
                        default="all", help="which projects to run")
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
                    alexnet_accuracy(workdir)]
            write_section("images", image_section(rows, command))
        if args.part in ("others", "all"):
            rows = [against_plain_keras(architecture, args.rounds, workdir) for architecture in LOADER_RUNS]
            write_section("others", loader_section(rows, command))
        if args.part in ("growth", "all"):
            write_section("growth", ["## How cost grows with the work: batch size and CPU replicas", "",
                                     measured_on(command), "", *growth.growth(generate, workdir, measure, MNIST_5K)])
        if args.part in ("recurrent", "all"):
            lines = ["## Recurrent projects", "", measured_on(command), "", *recurrent.sentiment(generate, workdir), "",
                     *recurrent.translation(generate, workdir)]
            write_section("recurrent", lines)
        if args.part in ("generative", "all"):
            lines = ["## Beyond a plain fit: DBN and DCGAN", "", measured_on(command), "",
                     *generative.dbn(generate, workdir), "", *generative.dcgan(generate, workdir)]
            write_section("generative", lines)
        if args.part in ("exercises", "all"):
            write_section("exercises", [*exercises.section(generate, workdir, MNIST_5K), measured_on(command)])
        if args.part in ("cluster", "all"):
            write_section("cluster", [*cluster.section(generate, workdir, MNIST_5K, args.rounds, run_in_terminal,
                                                       epoch_ends, per_epoch_throughput), "", measured_on(command)])
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
