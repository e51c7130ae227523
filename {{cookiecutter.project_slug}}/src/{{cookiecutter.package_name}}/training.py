"""From a checked config to a finished run directory.

The order is the data flow of the project: devices and strategy -> data -> model -> fit with
callbacks -> saved model, history, plots and metrics. Everything a run produces goes into one
run directory, which also holds what is needed to resume it after an interruption.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime
from functools import partial
from pathlib import Path

import keras
import tensorflow as tf

from . import config as config_module
from . import data, evaluation, plots
from . import model as model_module
from .config import UserError
from .schema import ARCHITECTURE

OPTIMIZERS = {
    "sgd": lambda c: keras.optimizers.SGD(c["learning_rate"]),
    "momentum": lambda c: keras.optimizers.SGD(c["learning_rate"], momentum=c["momentum"]),
    "adagrad": lambda c: keras.optimizers.Adagrad(c["learning_rate"]),
    "rmsprop": lambda c: keras.optimizers.RMSprop(c["learning_rate"]),
    # beta_1: only a project that declares training.beta_1 (the GAN: Radford's 0.5) changes Keras's 0.9.
    "adam": lambda c: keras.optimizers.Adam(c["learning_rate"], beta_1=c.get("beta_1", 0.9)),
}


class RunError(UserError):
    """A run directory cannot be used as asked; the message says why and what to do."""


def configure_devices(cfg: dict) -> None:
    """Split the CPU into `distribute.cpu_replicas` logical devices when there is no GPU.

    This lets MirroredStrategy be seen working on a laptop (one replica per logical CPU); it is a
    demonstration of the mechanism, not a speed-up. Must run before TensorFlow touches a device.
    """
    replicas = cfg["distribute"]["cpu_replicas"]
    if replicas > 1 and not tf.config.list_physical_devices("GPU"):
        cpu = tf.config.list_physical_devices("CPU")[0]
        if len(tf.config.get_logical_device_configuration(cpu) or []) != replicas:
            tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * replicas)


def make_strategy(cfg: dict) -> tf.distribute.Strategy:
    """none: one device. mirrored: a copy of the model per local device, gradients averaged each step.
    multi_worker: the same across machines listed in TF_CONFIG. auto: the most that is available."""
    name = cfg["distribute"]["strategy"]
    if name == "auto" and os.environ.get("TF_CONFIG"):
        name = "multi_worker"
    if name == "multi_worker":
        # Must come before anything else starts TensorFlow's runtime (even listing logical devices).
        if not os.environ.get("TF_CONFIG"):
            raise RunError("distribute.strategy=multi_worker: the TF_CONFIG environment variable is not set; it must "
                           "list the workers and this process's index (see README)")
        return tf.distribute.MultiWorkerMirroredStrategy()
    gpus = tf.config.list_logical_devices("GPU")
    cpus = tf.config.list_logical_devices("CPU")
    if name == "auto":
        name = "mirrored" if len(gpus) > 1 or (not gpus and len(cpus) > 1) else "none"
    if name == "mirrored":
        devices = [d.name for d in gpus] or [d.name for d in cpus]
        return tf.distribute.MirroredStrategy(devices)
    return tf.distribute.get_strategy()


def make_optimizer(cfg: dict) -> keras.optimizers.Optimizer:
    return OPTIMIZERS[cfg["training"]["optimizer"]](cfg["training"])


def new_run_dir(cfg: dict) -> Path:
    runs = Path(cfg["run"]["runs_dir"])
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        run_dir = runs / (f"{stamp}-{ARCHITECTURE}" + (f"-{attempt}" if attempt else ""))
        try:
            run_dir.mkdir(parents=True)
            return run_dir
        except FileExistsError:
            continue
    raise RunError(f"run.runs_dir={str(runs)!r}: could not create a new run directory")


def check_unfinished(run_dir: Path) -> None:
    """Refuse to train into a run directory whose run has finished: its results would be overwritten."""
    if (run_dir / "model.keras").exists():
        raise RunError(f"{run_dir}: this run already finished; start a new run instead of overwriting it")


class EpochTimer(keras.callbacks.Callback):
    """Adds the epoch's wall time to the logs, so history.csv records speed as well as loss."""

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self._start


def make_callbacks(cfg: dict, run_dir: Path, monitor: str, is_chief: bool) -> list[keras.callbacks.Callback]:
    """Keras's own callbacks do the bookkeeping; the order matters only in that the timer runs first
    (so the CSV sees its column) and the backup is written before anything can stop the run.
    `monitor` is lower-is-better: a loss, or the GAN's Fréchet distance."""
    callbacks = [
        EpochTimer(),
        # Saves weights, optimizer state and the epoch number after every epoch, and restores them
        # when the same run directory is trained again: an interrupted run continues where it stopped.
        keras.callbacks.BackupAndRestore(str(run_dir / "backup")),
        keras.callbacks.TerminateOnNaN(),
    ]
    if is_chief:
        callbacks += [
            keras.callbacks.ModelCheckpoint(str(run_dir / "checkpoints" / "best.keras"), monitor=monitor,
                                            mode="min", save_best_only=True),
            keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=True),
            keras.callbacks.TensorBoard(str(run_dir / "logs")),
        ]
    patience = cfg["training"]["early_stopping_patience"]
    if patience:
        callbacks.append(keras.callbacks.EarlyStopping(monitor=monitor, mode="min", patience=patience,
                                                       restore_best_weights=True))
    return callbacks


def train(cfg: dict, run_dir: Path, verbose: int | str = "auto") -> dict:
    """Train as `cfg` says, write every artifact into `run_dir`, and return the metrics written."""
    configure_devices(cfg)
    keras.utils.set_random_seed(cfg["seed"])
    if cfg["training"]["deterministic"]:
        tf.config.experimental.enable_op_determinism()
    strategy = make_strategy(cfg)
    replicas = strategy.num_replicas_in_sync
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
    is_chief = not multi_worker or strategy.cluster_resolver.task_id == 0
    output_dir = run_dir if is_chief else run_dir / f"worker-{strategy.cluster_resolver.task_id}"
    output_dir.mkdir(parents=True, exist_ok=True)
    if is_chief:
        config_module.dump(cfg, run_dir / "config.yaml")

    # Each replica gets `batch_size` examples, so one step consumes batch_size x replicas.
    global_batch = cfg["training"]["batch_size"] * replicas
    datasets = data.load_datasets(cfg, global_batch, even_batches=replicas > 1)
    # XLA cannot compile a step whose variables live on several CPU devices; on GPUs it can.
    jit_compile = cfg["training"]["jit_compile"] and (replicas == 1 or bool(tf.config.list_physical_devices("GPU")))

    with strategy.scope():
        model = model_module.build_model(cfg, **datasets.adapted)
        model.compile(
            optimizer=make_optimizer(cfg),
            loss=model_module.LOSS,
            metrics=model_module.METRICS,
            jit_compile=jit_compile,
            steps_per_execution=1 if multi_worker else cfg["training"]["steps_per_execution"],
        )
    if datasets.validation is not None and int(datasets.validation.cardinality()) == 0:
        raise RunError(f"data.validation_split: the validation set is smaller than one global batch ({global_batch}); "
                       f"hold out more examples or lower training.batch_size")
    # What the best checkpoint and early stopping watch; model.py may name its own (the GAN has no loss to watch).
    monitor = getattr(model_module, "MONITOR", None) or ("val_loss" if datasets.validation is not None else "loss")
    steps = cfg["training"]["steps_per_epoch"]

    def fit(network: keras.Model, epochs: int, callbacks: list) -> None:
        """`network.fit` on the run's pipelines; the loop written out where Keras's fit cannot run."""
        if multi_worker:
            fit_multi_worker(network, strategy, datasets, callbacks, epochs, steps, verbose=verbose if is_chief else 0)
        else:
            network.fit(datasets.train, validation_data=datasets.validation, epochs=epochs, steps_per_epoch=steps,
                        callbacks=callbacks, verbose=verbose, shuffle=False)

    # model.py may train the network's starting weights another way first (the DBN's RBMs). A resumed
    # run skips that: its backup holds the weights reached since.
    pretrain = getattr(model_module, "pretrain", None)
    if pretrain and not (output_dir / "backup").exists():
        started = time.perf_counter()
        report = pretrain(model, cfg, strategy, partial(_fit_for_history, fit), run_dir if is_chief else None)
        report["pretraining_wall_time_seconds"] = round(time.perf_counter() - started, 3)
        if is_chief:
            write_metrics(run_dir, report)

    callbacks = make_callbacks(cfg, output_dir, monitor, is_chief)
    # model.py may add per-epoch callbacks (the GAN's image grids and quality measures). They run right after the
    # timer, so the CSV log, the best checkpoint and early stopping see what they add to the epoch's logs.
    run_callbacks = getattr(model_module, "run_callbacks", None)
    if run_callbacks:
        extra, report = run_callbacks(cfg, datasets, output_dir, partial(_fit_for_history, fit), strategy)
        callbacks[1:1] = extra
        if is_chief:
            write_metrics(run_dir, report)

    started = time.perf_counter()
    fit(model, cfg["training"]["epochs"], callbacks)
    wall_time = time.perf_counter() - started

    # Every worker saves (saving reads variables that all of them share); only the chief's copy counts.
    # model.py may wrap the trained network for saving: the text projects put the word lookup in front,
    # so the saved model reads raw strings while training ran on word ids made by the input pipeline.
    export = getattr(model_module, "saved_model", None)
    (export(model, cfg, **datasets.adapted) if export else model).save(output_dir / "model.keras")
    if not is_chief:
        return {}
    history = plots.read_history(run_dir / "history.csv")
    plots.plot_history(history, run_dir / "training_curves.png")
    epoch_times = [float(t) for t in history.get("epoch_seconds", [])]
    metrics = {
        "architecture": ARCHITECTURE,
        "data": datasets.describe(),
        "class_names": datasets.class_names,  # what each output means, for `predict`
        "strategy": {"name": type(strategy).__name__, "replicas": replicas, "global_batch_size": global_batch},
        "jit_compile": bool(model.jit_compile),  # what Keras used: it turns XLA off for layers that cannot compile
        "parameters": model.count_params(),
        "epochs_completed": len(epoch_times),
        "wall_time_seconds": round(wall_time, 3),
        "final_epoch": {key: float(values[-1]) for key, values in history.items() if key != "epoch" and values},
        "monitor": monitor,
        "best": float(min(float(v) for v in history[monitor])) if history.get(monitor) else None,
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
    }
    # Score the saved file, outside any strategy: that is the model `evaluate` and `predict` will load.
    metrics["test"] = evaluation.evaluate(keras.models.load_model(run_dir / "model.keras"), datasets, run_dir, cfg)
    return write_metrics(run_dir, metrics)


def _fit_for_history(fit, network: keras.Model, epochs: int) -> dict[str, list[float]]:
    """Train a helper network (such as one RBM) with only the timer; return its per-epoch logs."""
    history = keras.callbacks.History()
    fit(network, epochs, [EpochTimer(), keras.callbacks.TerminateOnNaN(), history])
    return history.history


def fit_multi_worker(model, strategy, datasets, callbacks, epochs, steps_per_epoch, verbose) -> None:
    """What `model.fit` does, written out for MultiWorkerMirroredStrategy.

    Keras 3's `fit` fails under that strategy (keras-team/keras#20585), so this loop calls the
    model's own `train_step` on every replica with `strategy.run` and drives the same callbacks
    through a `CallbackList`: checkpoints, backups, logs and early stopping behave as with `fit`.
    Every worker must run the same number of steps, so the training data repeats and an epoch is a
    fixed number of steps.
    """
    if steps_per_epoch is None:
        batches = int(datasets.train.cardinality())
        if batches < 1:
            raise RunError("distribute.strategy=multi_worker needs training.steps_per_epoch when the training "
                           "set's size is unknown")
        workers = sum(len(tasks) for tasks in strategy.cluster_resolver.cluster_spec().as_dict().values())
        steps_per_epoch = max(1, batches // workers)
    callback_list = keras.callbacks.CallbackList(callbacks, add_history=True, add_progbar=bool(verbose),
                                                 model=model, verbose=1 if verbose else 0, epochs=epochs,
                                                 steps=steps_per_epoch)
    train_batches = iter(strategy.experimental_distribute_dataset(datasets.train.repeat()))

    @tf.function
    def train_step(batch):
        strategy.run(model.train_step, args=(batch,))

    @tf.function
    def test_step(batch):
        strategy.run(model.test_step, args=(batch,))

    model.stop_training = False
    callback_list.on_train_begin()
    logs: dict = {}
    for epoch in range(getattr(model, "_initial_epoch", 0) or 0, epochs):  # BackupAndRestore sets it on resume
        model.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        for step in range(steps_per_epoch):
            callback_list.on_train_batch_begin(step)
            train_step(next(train_batches))
            callback_list.on_train_batch_end(step, {})
        logs = {name: float(value) for name, value in model.get_metrics_result().items()}
        if datasets.validation is not None:
            model.reset_metrics()
            for batch in strategy.experimental_distribute_dataset(datasets.validation):
                test_step(batch)
            logs.update({f"val_{name}": float(value) for name, value in model.get_metrics_result().items()})
        callback_list.on_epoch_end(epoch, logs)
        if model.stop_training:
            break
    callback_list.on_train_end(logs)


def write_metrics(run_dir: Path, updates: dict) -> dict:
    """Merge `updates` into run_dir/metrics.json, keeping what earlier commands wrote there."""
    path = run_dir / "metrics.json"
    metrics = json.loads(path.read_text()) if path.exists() else {}
    metrics.update(updates)
    path.write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics
