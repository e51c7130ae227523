"""Throughput and accuracy of generated projects, measured on this machine; writes benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py [--part speed|images|growth|recurrent|generative|exercises|cluster|all]
                                       [--rounds 5] [--only NAME]

--part speed: every project with its default config against plain Keras, like for like. Each is
generated with its defaults; then, alternating in fresh processes on a pseudo-terminal, (a) its own
`python train.py` (progress display, best checkpoint, backups, TensorBoard and CSV logs, the seeded
per-epoch order) and (b) benchmarks/plain_keras.py, the strongest plain Keras for the same network
and augmentation, with Keras's own defaults (`jit_compile="auto"`, one step per call) and with the
compile settings the project chose on this machine; the MNIST networks with random shifts also
without any shift. Throughput is training examples per second from the end of one epoch to the end
of the next (the first epoch, which compiles, is left out), so what happens between epochs counts.
Each round's ratio is the project's median over the baseline's; a row reports every round and the
median over rounds. --part images: accuracy of the MNIST projects and AlexNet with their default
configs on real data from ../shared/data, scored on the test split. --part growth runs mnist_mlp and
AlexNet at batch sizes 32-512 and with 1 and 2 CPU replicas (growth.py). The recurrent projects'
accuracy and BLEU are measured by recurrent.py, the DBN's and the DCGAN's by generative.py; --part
exercises runs the mnist_mlp and lenet5 READMEs' `compare` exercises (exercises.py).
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


def result_row(label: str, data: str, batch: int, metrics: dict, default: dict, wall: float) -> dict:
    """One line of the accuracy table: a full default run's metrics."""
    return {
        "architecture": label, "data": data, "batch_size": batch, "jit_compile": metrics["compile"]["jit_compile"],
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


def measure(project: Path, run_dir: Path, overrides: list[str]) -> list[float]:
    """Examples/s of each epoch after the first of one `python train.py` run, on a pseudo-terminal."""
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    run_in_terminal([sys.executable, "train.py", "--run-dir", str(run_dir), *overrides], project,
                    run_dir.with_suffix(".log"))
    metrics = json.loads((run_dir / "metrics.json").read_text())
    return per_epoch_throughput(epoch_ends(run_dir), metrics["data"]["num_train"])


def mnist_accuracy(architecture: str, variant: list[str], workdir: Path) -> dict:
    """Accuracy of one MNIST project (`variant` overrides) on mnist-5k with the default config."""
    project, modules = generate(architecture, workdir)
    label = architecture + "".join(f" {setting.split('=')[1]}" for setting in variant)
    real = ["data.source=npz", f"data.npz_path={MNIST_5K}", *variant]
    default = modules["schema"].load(project / "config.yaml", [*real, f"run.runs_dir={workdir / 'runs'}"])
    started = time.perf_counter()
    metrics = modules["training"].train(modules["lesson"].LESSON, default, workdir / "runs" / f"{label}-accuracy",
                                        verbose=0)
    accuracy_wall = time.perf_counter() - started
    sys.path.remove(str(project / "src"))
    return result_row(label, "mnist-5k.npz: 4,500 train / 500 validation / 5,000 test",
                      default["training"]["batch_size"], metrics, default, accuracy_wall)


def alexnet_accuracy(workdir: Path) -> dict:
    """A full default training run of AlexNet on the ants-and-bees folder; its speed is in the speed part."""
    project, modules = generate("alexnet", workdir)
    real = ["data.source=folder", f"data.train_dir={HYMENOPTERA / 'train'}", f"data.test_dir={HYMENOPTERA / 'val'}",
            "model.num_classes=2", *ALEXNET_REAL, f"run.runs_dir={workdir / 'runs'}"]
    default = modules["schema"].load(project / "config.yaml", real)
    started = time.perf_counter()
    metrics = modules["training"].train(modules["lesson"].LESSON, default, workdir / "runs" / "alexnet-accuracy",
                                        verbose=0)
    accuracy_wall = time.perf_counter() - started
    sys.path.remove(str(project / "src"))
    described = f"images-hymenoptera ({metrics['data']['num_train']} train / 153 test), {' '.join(ALEXNET_REAL)}"
    return result_row("alexnet", described, default["training"]["batch_size"], metrics, default, accuracy_wall)


MNIST = ["data.source=npz", f"data.npz_path={MNIST_5K}"]
# Every project's speed run: (architecture, the data and the few settings that make a run short (the network and
# everything else stay the defaults), epochs per run). The MNIST networks with random shifts get a plain baseline
# that builds from the arrays (plain_keras.py --npz); the others are fed their own loader's batches. DBN: one
# pre-training epoch per RBM, since only the fine-tuning epochs are timed; 12 of them, because its epochs last under
# a second.
SPEED_RUNS = {
    "mnist_mlp": ("mnist_mlp", MNIST, 8),
    "lenet5 classic": ("lenet5", [*MNIST, "model.variant=classic"], 8),
    "lenet5 modern": ("lenet5", [*MNIST, "model.variant=modern"], 8),
    "dbn": ("dbn", [*MNIST, "pretraining.epochs=1"], 12),
    "alexnet": ("alexnet", ["data.source=synthetic", "data.synthetic_examples=320", "data.validation_split=0.1",
                            "training.batch_size=32"], 4),
    "rnn_sentiment": ("rnn_sentiment", ["data.source=csv", f"data.train_csv={recurrent.MR / 'train.csv'}",
                                        f"data.test_csv={recurrent.MR / 'test.csv'}"], 4),
    "seq2seq_translation": ("seq2seq_translation", ["data.source=synthetic"], 4),
    "dcgan": ("dcgan", MNIST, 4),
}
SPEED_ROWS = Path(__file__).resolve().parent / "speed.json"
SHIFTED = ("mnist_mlp", "lenet5")  # plain Keras shifts these with RandomTranslation in the model, as the project does
# The GAN's validation is its lesson's per-epoch measures (Fréchet distance, image grid): plain Keras runs them too,
# and once more without them.
MEASURED_EACH_EPOCH = ("dcgan",)


def baselines(architecture: str, compiled: dict) -> dict[str, list[str]]:
    """plain_keras.py's arguments for each baseline of a project: Keras's own defaults, the compile settings the
    project chose on this machine (where they differ), and for the shifted MNIST networks both again without any
    shift; for the GAN, both again without its per-epoch measures."""
    defaults = ["--jit", "auto", "--steps-per-execution", "1"]
    policy = compiled.get("dtype_policy", "float32")
    chosen = ["--jit", "on" if compiled["jit_compile"] else "off",
              "--steps-per-execution", str(compiled["steps_per_execution"]), "--precision", policy]
    # auto is off on this CPU machine
    same = compiled["steps_per_execution"] == 1 and not compiled["jit_compile"] and policy == "float32"
    settings = {"Keras's defaults": defaults, **({} if same else {"the project's compile settings": chosen})}
    if architecture in MEASURED_EACH_EPOCH:
        return {**settings, **{f"{name}, no per-epoch measures": [*arguments, "--epoch-measures", "none"]
                               for name, arguments in settings.items()}}
    if architecture not in SHIFTED:
        return settings
    return {**{f"{name}, shifted": ["--shift-in", "model", *arguments] for name, arguments in settings.items()},
            **{f"{name}, no shift": ["--shift-in", "none", *arguments] for name, arguments in settings.items()}}


def speed(label: str, rounds: int, workdir: Path) -> dict:
    """Examples/s per epoch of `python train.py` and of each plain Keras baseline, alternating in fresh processes
    on a pseudo-terminal (the project first, so the baselines know its compile choice); per round and baseline,
    the project's median over the baseline's."""
    architecture, data, epochs = SPEED_RUNS[label]
    project, _ = generate(architecture, workdir)
    sys.path.remove(str(project / "src"))
    overrides = [*data, f"training.epochs={epochs}", "training.early_stopping_patience=0"]
    npz = ["--npz", str(MNIST_5K)] if architecture in SHIFTED else []
    ours, bare, ratios, plain_jit = [], {}, {}, {}
    for index in range(rounds):
        run_dir = workdir / "runs" / f"{label.replace(' ', '-')}-{index}"
        round_ours = measure(project, run_dir, overrides)
        ours.append(round_ours)
        compiled = json.loads((run_dir / "metrics.json").read_text())["compile"]
        for name, arguments in baselines(architecture, compiled).items():
            tag = f"{label}-{name}-{index}".replace(" ", "-").replace(",", "").replace("'", "")
            run, samples = measure_plain(project, workdir, tag, [*npz, "--epochs", str(epochs), *arguments], overrides)
            bare.setdefault(name, []).append(samples)
            ratios.setdefault(name, []).append(statistics.median(round_ours) / statistics.median(samples))
            plain_jit[name] = run["jit_compile"]
        print(f"{label}, round {index + 1} of {rounds}: " + ", ".join(f"{name} {values[-1]:.2f}x"
                                                                   for name, values in ratios.items()), flush=True)
    return {"label": label, "settings": " ".join(overrides).replace(str(SHARED_DATA), "../shared/data"),
            "epochs": epochs, "compile": compiled, "ours": ours, "bare": bare, "ratios": ratios,
            "plain_jit": plain_jit}


def cpu_features() -> str:
    """The instruction sets that decide this CPU's speed for these networks (oneDNN uses the widest there is)."""
    flags = set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    named = {"avx2": "AVX2", "avx512f": "AVX-512", "avx512_bf16": "AVX-512 BF16", "amx_tile": "AMX"}
    return ", ".join(name for flag, name in named.items() if flag in flags) or "none of AVX2, AVX-512, AMX"


def speed_section(rows: list[dict], rounds: int, command: str) -> list[str]:
    samples = lambda values: ", ".join(f"{v:,.0f}" for v in values)  # noqa: E731
    lines = [
        "## Speed against plain Keras", "",
        f"{measured_on(command)} CPU features: {cpu_features()}. {rounds} alternating rounds per project, decided "
        "before measuring; every round is shown, and the median over rounds is the figure. Throughput: training "
        "examples per second from the end of one epoch to the end of the next (epochs 2.. of every run), so "
        "checkpoints, backups and logs between epochs are paid for. Project: its own `python train.py` with its "
        "default config, only the data and the epochs set for a short run (the settings column). Plain Keras "
        "(benchmarks/plain_keras.py): the project's `build_model` (the GAN with its own `train_step`), its "
        "optimizer and loss, the same batch, hold-out and validation, Keras's progress bar (`verbose=1`), `fit` on "
        "`tf.data` with cache, shuffle and prefetch (the MNIST networks from the arrays, the others on the batches "
        "of the project's own loader); the MNIST random shift by Keras's `RandomTranslation` in the model. "
        "\"Keras's defaults\" is what a learner writes: `jit_compile=\"auto\"` (on this machine: off) and one step "
        "per compiled call, in float32; \"the project's compile settings\" gives plain Keras the precision, the XLA "
        "choice and the steps per call the project made here (shown where they differ); \"no shift\" trains plain "
        "Keras without augmentation while the project keeps its default shifts. The target is at least 1.0x "
        "against Keras's defaults with the same augmentation.", "",
        "| network | settings for a short run | project's compile choice | baseline | plain Keras (ex/s) | "
        "project (ex/s) | ratio | every round |", "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        compiled = row["compile"]
        steps = compiled["steps_per_execution"]
        policy = compiled.get("dtype_policy", "float32")
        choice = (f"{policy}{' (' + compiled['dtype_policy_reason'] + ')' if policy != 'float32' else ''}; "
                  f"XLA {'on' if compiled['jit_compile'] else 'off'} ({compiled['jit_compile_reason']}); "
                  f"{steps} step{'s' if steps > 1 else ''} per call")
        ours = statistics.median(v for run in row["ours"] for v in run)
        for index, (name, runs) in enumerate(row["bare"].items()):
            plain = statistics.median(v for run in runs for v in run)
            label, settings, shown = (f"`{row['label']}`", f"`{row['settings']}`", choice) if index == 0 else ("",) * 3
            xla = "on" if row["plain_jit"][name] else "off"
            lines.append(f"| {label} | {settings} | {shown} | {name} (XLA {xla}) | "
                         f"{plain:,.1f} | {ours:,.1f} | **{statistics.median(row['ratios'][name]):.2f}x** | "
                         f"{', '.join(f'{r:.2f}' for r in row['ratios'][name])} |")
    worst = min((statistics.median(r), row["label"], name) for row in rows for name, r in row["ratios"].items())
    target = [(statistics.median(row["ratios"][name]), row["label"]) for row in rows for name in row["ratios"]
              if name.startswith("Keras's defaults") and "no shift" not in name and "no per-epoch" not in name]
    lines += ["", f"Against Keras's defaults with the same augmentation, the least favourable median is "
                  f"{min(target)[0]:.2f}x (`{min(target)[1]}`); against any baseline, {worst[0]:.2f}x (`{worst[1]}`, "
                  f"{worst[2]}).", "",
              "Per-epoch throughput samples (examples/s), one list per round, for the record:", ""]
    for row in rows:
        lines.append(f"- `{row['label']}` project: {' | '.join(samples(run) for run in row['ours'])}")
        for name, runs in row["bare"].items():
            lines.append(f"- `{row['label']}` plain Keras, {name}: {' | '.join(samples(run) for run in runs)}")
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
        "## Image projects: accuracy",
        "",
        f"{measured_on(command)} One full training run per row with the project's default config on real data, "
        "scored on the test split; their speed is in the speed section.",
        "",
        "| architecture | data | batch | XLA used | test accuracy | epochs run | wall time |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| `{row['architecture']}` | {row['data']} | {row['batch_size']} | {row['jit_compile']} | "
            f"{row['accuracy']:.2%} ({row['test_examples']:,} images) | {row['epochs']} of {row['max_epochs']} | "
            f"{row['wall']:.1f} s |")
    return [*lines, "", "Notes:", "", *NOTES]


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
    parser.add_argument("--part", choices=("speed", "images", "growth", "recurrent", "generative", "exercises",
                                           "cluster", "all"),
                        default="all", help="which measurements to run")
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the project and plain Keras")
    parser.add_argument("--only", action="append", choices=SPEED_RUNS, help="with --part speed: these rows alone")
    args = parser.parse_args()
    needed = [MNIST_5K, recurrent.MR, recurrent.MULTI30K]
    if not all(path.exists() for path in needed):
        sys.exit(f"error: {', '.join(str(p) for p in needed if not p.exists())} not found; the benchmarks need "
                 f"../shared/data beside the template")
    command = "make benchmark" + ("" if args.part == "all" else f" PART={args.part}")
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        if args.part in ("speed", "all"):
            # Every sample is kept in speed.json; --only measures some rows again and keeps the others.
            kept = ({row["label"]: row for row in json.loads(SPEED_ROWS.read_text())}
                    if args.only and SPEED_ROWS.exists() else {})
            for label in args.only or SPEED_RUNS:  # written after every row: a failure later loses none of them
                kept[label] = speed(label, args.rounds, workdir)
                rows = [kept[label] for label in SPEED_RUNS if label in kept]
                SPEED_ROWS.write_text(json.dumps(rows, indent=1) + "\n")
                write_section("speed", speed_section(rows, args.rounds, command))
        if args.part in ("images", "all"):
            rows = [mnist_accuracy("mnist_mlp", [], workdir),
                    mnist_accuracy("lenet5", ["model.variant=classic"], workdir),
                    mnist_accuracy("lenet5", ["model.variant=modern"], workdir),
                    alexnet_accuracy(workdir)]
            write_section("images", image_section(rows, command))
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
