"""One process against one and two Ray workers: mnist_mlp on mnist-5k with the project's own commands.

`python train.py` (one process, fit) and `python train.py launch --workers 1|2` (Ray Train's TensorflowTrainer,
MultiWorkerMirroredStrategy, the project's own multi-worker loop), alternating in one run. Throughput is examples/s of
every epoch after the first, from the chief's TensorBoard log (benchmarks/run.py's per_epoch_throughput); start-up
(Ray's cluster, the workers' TensorFlow) is reported apart. The default config, batch 128 per worker.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

SETTINGS = {"one process": [], "launch, 1 worker": ["launch", "--workers", "1"],
            "launch, 2 workers": ["launch", "--workers", "2"]}


def one_run(project: Path, workdir: Path, command: list[str], overrides: list[str], tag: str, run_in_terminal,
            epoch_ends, per_epoch_throughput) -> dict:
    runs = workdir / "runs" / tag
    started = time.perf_counter()
    run_in_terminal([sys.executable, "train.py", *command, *overrides, f"run.runs_dir={runs}"], project,
                    workdir / f"{tag}.log")
    wall = time.perf_counter() - started
    (run_dir,) = runs.iterdir()
    metrics = json.loads((run_dir / "metrics.json").read_text())
    samples = per_epoch_throughput(epoch_ends(run_dir), metrics["data"]["num_train"])
    return {"samples": samples, "wall": wall, "trained": metrics["wall_time_seconds"],
            "accuracy": metrics["test"]["accuracy"], "strategy": metrics["strategy"]}


def section(generate, workdir: Path, mnist_5k: Path, rounds: int, run_in_terminal, epoch_ends,
            per_epoch_throughput) -> list[str]:
    project, _ = generate("mnist_mlp", workdir)
    overrides = ["data.source=npz", f"data.npz_path={mnist_5k}", "training.epochs=8",
                 "training.early_stopping_patience=0"]
    results: dict[str, list[dict]] = {name: [] for name in SETTINGS}
    for round_ in range(rounds):
        for name, command in SETTINGS.items():
            tag = f"cluster-{round_}-{name.replace(' ', '').replace(',', '-')}"
            results[name].append(one_run(project, workdir, command, overrides, tag, run_in_terminal, epoch_ends,
                                         per_epoch_throughput))
    lines = ["## Past one process: Ray workers", "",
             "mnist_mlp's default config (batch 128 per worker) on mnist-5k, 8 epochs per run; "
             f"{rounds} rounds, each running the three commands one after the other; medians over the rounds. "
             "examples/s is every epoch after the first, from the chief's TensorBoard log; the wall time includes "
             "starting Ray and the workers' TensorFlow, and scoring the test split.", "",
             "| command | workers x batch | examples/s | ratio to one process | epochs' time, s | wall time, s | "
             "test accuracy |",
             "|---|---|---|---|---|---|---|"]
    base = statistics.median(statistics.median(run["samples"]) for run in results["one process"])
    for name, runs in results.items():
        speed = statistics.median(statistics.median(run["samples"]) for run in runs)
        strategy = runs[0]["strategy"]
        shape = f"{strategy.get('workers', 1)} x {strategy['global_batch_size'] // strategy.get('workers', 1)}"
        command = "python train.py" + (" " + " ".join(SETTINGS[name]) if SETTINGS[name] else "")
        lines.append(f"| `{command}` | {shape} | {speed:,.0f} | {speed / base:.2f}x | "
                     f"{statistics.median(run['trained'] for run in runs):.1f} | "
                     f"{statistics.median(run['wall'] for run in runs):.0f} | "
                     f"{100 * statistics.median(run['accuracy'] for run in runs):.1f} % |")
    per_round = {name: ", ".join(f"{statistics.median(run['samples']):,.0f}" for run in runs)
                 for name, runs in results.items()}
    lines += ["", "Every round's examples/s (median over its epochs): " + "; ".join(
        f"{name}: {speeds}" for name, speeds in per_round.items()), "",
        "Two workers on one 2-core machine share its cores and exchange every step's gradients over gRPC: no "
        "speed-up is to be expected here, only the mechanism. With one worker the project runs its own multi-worker "
        "loop (Keras's fit fails under MultiWorkerMirroredStrategy), one step per call and without XLA; what that "
        "costs against fit is the first two rows' ratio."]
    return lines
