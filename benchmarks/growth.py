"""How cost grows with the work: `python train.py` throughput against batch size and `distribute.cpu_replicas`.

Each point is one run of the project's own command with its default config and one setting changed, in a fresh
process on a pseudo-terminal; throughput is the median over its epochs after the first, from the end of one epoch
to the end of the next (benchmarks/run.py's measure).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

BATCHES = [32, 64, 128, 256, 512]
REPLICAS = [1, 2]


def points(project: Path, workdir: Path, label: str, data: list[str], epochs: int, default_batch: int,
           examples_for, measure) -> list[dict]:
    """One row per setting: batch sizes at one replica, then replicas at the default batch."""
    settings = [(batch, 1) for batch in BATCHES] + [(default_batch, replicas) for replicas in REPLICAS[1:]]
    rows = []
    for batch, replicas in settings:
        run_dir = workdir / "runs" / f"growth-{label}-{batch}-{replicas}"
        overrides = [*data, *examples_for(batch * replicas), f"training.batch_size={batch}",
                     f"training.epochs={epochs}", "training.early_stopping_patience=0",
                     f"distribute.cpu_replicas={replicas}"]
        samples = measure(project, run_dir, overrides)
        metrics = json.loads((run_dir / "metrics.json").read_text())
        rows.append({"batch": batch, "replicas": replicas, "throughput": statistics.median(samples),
                     "steps": metrics["data"]["num_train"] // (batch * replicas),
                     "xla": metrics["compile"]["jit_compile"], "per_call": metrics["compile"]["steps_per_execution"],
                     "samples": samples})
    return rows


def table(title: str, rows: list[dict], note: str) -> list[str]:
    lines = [f"### {title}", "", note, "",
             "| batch per replica | cpu_replicas | examples/s | steps per epoch | XLA | steps per compiled call |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['batch']} | {row['replicas']} | {row['throughput']:,.0f} | {row['steps']} | "
                     f"{row['xla']} | {row['per_call']} |")
    return lines


def growth(generate, workdir: Path, measure, mnist_5k: Path) -> list[str]:
    project, _ = generate("mnist_mlp", workdir)
    mnist = points(project, workdir, "mnist_mlp", ["data.source=npz", f"data.npz_path={mnist_5k}"], 8, 128,
                   lambda batch: [], measure)
    project, _ = generate("alexnet", workdir)
    # Synthetic 227x227 images, four global batches' worth: three to train on, one held out (the validation set
    # must hold a whole global batch), so every epoch has a few full steps at every batch size.
    alexnet = points(project, workdir, "alexnet", ["data.source=synthetic", "data.validation_split=0.25"], 3, 32,
                     lambda batch: [f"data.synthetic_examples={4 * batch}"], measure)
    return [
        *table("mnist_mlp", mnist, "mnist-5k (4,500 training digits), 8 epochs per point. With two CPU replicas "
               "each step's batch is split in two on the same 2 cores; the runtime then turns XLA and several "
               "steps per call off (they fail across devices)."),
        "",
        *table("alexnet", alexnet, "Synthetic 227x227 images, four global batches per point (three trained on, one "
               "held out; the data grow with the batch), 3 epochs per point."),
    ]
