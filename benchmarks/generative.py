"""Benchmarks of the two projects that train beyond a plain `fit`, run by benchmarks/run.py (--part generative).

dbn: the default config on mnist-5k, fine-tuned once after greedy RBM pre-training and once from
random initialization (model.pretrain=false, nothing else changed), each with two seeds. dcgan:
the default DCGAN on mnist-5k's training images; its per-epoch Fréchet distance and class spread,
and the last epoch's image grid (copied next to RESULTS.md). Every number is read from the run's
own metrics.json and history.csv.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
MNIST_5K = SHARED_DATA / "mnist" / "mnist-5k.npz"
REAL = ["data.source=npz", f"data.npz_path={MNIST_5K}"]
DBN_SEEDS = [42, 1]
DCGAN_EPOCHS = 20
GRID = Path(__file__).resolve().parent / "dcgan_mnist5k_final_grid.png"


def dbn(generate, workdir: Path) -> list[str]:
    project, modules = generate("dbn", workdir)
    lines = ["| start | seed | test accuracy (5,000) | pre-training wall time | fine-tuning epochs | fine-tuning wall "
             "time | reconstruction error per RBM, first -> last pre-training epoch |", "|---|---|---|---|---|---|---|"]
    accuracies: dict[str, list[float]] = {"RBM pre-training": [], "random initialization": []}
    for label, pretrain in (("RBM pre-training", "true"), ("random initialization", "false")):
        for seed in DBN_SEEDS:
            overrides = [*REAL, f"model.pretrain={pretrain}", f"seed={seed}", f"run.runs_dir={workdir / 'runs'}"]
            cfg = modules["schema"].load(project / "config.yaml", overrides)
            run_dir = workdir / "runs" / f"dbn-{pretrain}-{seed}"
            metrics = modules["training"].train(modules["lesson"].LESSON, cfg, run_dir, verbose=0)
            accuracies[label].append(metrics["test"]["accuracy"])
            rbms = metrics["pretraining"] or {}
            errors = ", ".join(f"{name}: {table['reconstruction_error'][0]:.4f} -> "
                               f"{table['reconstruction_error'][-1]:.4f}" for name, table in rbms.items()) or "-"
            pretraining_time = metrics.get("pretraining_wall_time_seconds")
            shown_time = f"{pretraining_time:.0f} s" if metrics["pretraining"] else "-"
            lines.append(f"| {label} | {seed} | {metrics['test']['accuracy']:.2%} | {shown_time} | "
                         f"{metrics['epochs_completed']} | "
                         f"{metrics['wall_time_seconds']:.0f} s | {errors} |")
    sys.path.remove(str(project / "src"))
    defaults = modules["schema"].load(project / "config.yaml")
    means = {label: statistics.mean(values) for label, values in accuracies.items()}
    return [f"### `dbn` on mnist-5k ({metrics['data']['num_train']:,} train after the 10 % validation hold-out, 5,000 "
            f"test; target: >= 93.0 % with the default sizes)", "",
            f"Default net: {'-'.join(str(u) for u in [784, *defaults['model']['hidden_units'], 10])}, sigmoid; RBMs "
            f"CD-{defaults['pretraining']['cd_k']}, {defaults['pretraining']['epochs']} epochs each; fine-tuning "
            f"{defaults['training']['epochs']} epochs with {defaults['training']['optimizer']} "
            f"(learning rate {defaults['training']['learning_rate']}), batch {defaults['training']['batch_size']}.", "",
            *lines, "",
            f"Mean test accuracy: after RBM pre-training {means['RBM pre-training']:.2%}, from random initialization "
            f"{means['random initialization']:.2%} (difference "
            f"{100 * (means['RBM pre-training'] - means['random initialization']):+.2f} points)."]


def dcgan(generate, workdir: Path) -> list[str]:
    project, modules = generate("dcgan", workdir)
    overrides = [*REAL, f"training.epochs={DCGAN_EPOCHS}", f"run.runs_dir={workdir / 'runs'}"]
    cfg = modules["schema"].load(project / "config.yaml", overrides)
    run_dir = workdir / "runs" / "dcgan"
    metrics = modules["training"].train(modules["lesson"].LESSON, cfg, run_dir, verbose=0)
    history = modules["plots"].read_history(run_dir / "history.csv")
    sys.path.remove(str(project / "src"))
    shutil.copyfile(run_dir / "grids" / f"epoch_{len(history['frechet_distance']):03d}.png", GRID)
    rows = ["| epoch | Fréchet distance | classes covered | class entropy (bits) | d_loss | g_loss | epoch time |",
            "|---|---|---|---|---|---|---|"]
    for epoch, distance in enumerate(history["frechet_distance"]):
        rows.append(f"| {epoch + 1} | {distance:.2f} | {history['classes_covered'][epoch]:.0f} | "
                    f"{history['class_entropy'][epoch]:.2f} | {history['d_loss'][epoch]:.3f} | "
                    f"{history['g_loss'][epoch]:.3f} | {history['epoch_seconds'][epoch]:.1f} s |")
    distances = history["frechet_distance"]
    falls = sum(later < earlier for earlier, later in zip(distances, distances[1:], strict=False))
    test, classifier = metrics["test"], metrics["quality_classifier"]
    return [f"### `dcgan` on mnist-5k ({metrics['data']['num_train']:,} training images; target: the Fréchet distance "
            f"falls epoch over epoch and the digits cover all ten classes)", "",
            f"Default config, {DCGAN_EPOCHS} epochs: {metrics['parameters']:,} parameters, wall time "
            f"{metrics['wall_time_seconds']:.0f} s. Quality classifier: {classifier['source']}, test accuracy "
            f"{classifier['test_accuracy']:.2%}; each epoch compares {cfg['quality']['samples']:,} generated with "
            f"{cfg['quality']['samples']:,} real test images.", "", *rows, "",
            f"The distance fell in {falls} of {len(distances) - 1} epoch-to-epoch steps, from {distances[0]:.2f} to "
            f"{distances[-1]:.2f} (best {min(distances):.2f}). Saved generator, scored by `evaluate`: Fréchet distance "
            f"{test['frechet_distance']:.2f}, {test['classes_covered']} classes covered, class shares "
            f"{', '.join(f'{share:.0%}' for share in test['class_shares'])}.", "",
            f"Last epoch's grid: [{GRID.name}]({GRID.name})."]
