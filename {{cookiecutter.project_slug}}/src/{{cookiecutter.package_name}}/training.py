"""From a checked config to a finished run directory.

The order is the data flow of the project: devices and strategy -> data -> model -> fit with
callbacks -> saved model, history, plots and metrics. Everything a run produces goes into one
run directory, which also holds what is needed to resume it after an interruption.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import time
from datetime import datetime
from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from . import config as config_module
from . import data, evaluation, plots, storage
from . import model as model_module
from .cluster import slurm_resolver
from .config import UserError
from .data_sources import training_epoch
from .progress import EpochProgress
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
    # TF_CONFIG first: Ray sets it for its workers, also on a Ray cluster that Slurm started.
    resolver = None if os.environ.get("TF_CONFIG") else slurm_resolver()
    if name == "auto" and (os.environ.get("TF_CONFIG") or resolver):
        name = "multi_worker"
    if name == "multi_worker":
        # Must come before anything else starts TensorFlow's runtime (even listing logical devices).
        if not os.environ.get("TF_CONFIG") and resolver is None:
            raise RunError("distribute.strategy=multi_worker: no workers to join: start them with python train.py "
                           "launch --workers N (Ray), with srun in a Slurm job (cluster/train.sbatch), or give each "
                           "process a TF_CONFIG environment variable (see README)")
        return tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver)
    gpus = tf.config.list_logical_devices("GPU")
    cpus = tf.config.list_logical_devices("CPU")
    if name == "auto":
        name = "mirrored" if len(gpus) > 1 or (not gpus and len(cpus) > 1) else "none"
    if name == "mirrored":
        devices = [d.name for d in gpus] or [d.name for d in cpus]
        return tf.distribute.MirroredStrategy(devices)
    return tf.distribute.get_strategy()


def steps_per_execution(cfg: dict, replicas: int) -> int:
    """training.steps_per_execution, where Keras can run it: it runs an epoch capped at training.steps_per_epoch in
    whole compiled calls (2 steps asked, 4 per call: 4 run), so the cap must be a multiple; and its multi-step loop
    fails across several devices (MirroredStrategy over CPU devices, TensorFlow 2.21) and in our multi-worker loop."""
    steps, cap = cfg["training"]["steps_per_execution"], cfg["training"]["steps_per_epoch"]
    if replicas > 1 or cfg["distribute"]["strategy"] == "multi_worker":
        return 1
    return math.gcd(steps, cap) if cap else steps


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
        except OSError as error:
            raise RunError(f"run.runs_dir={str(runs)!r}: cannot make a run directory in it "
                           f"({error.strerror or error})") from None
    raise RunError(f"run.runs_dir={str(runs)!r}: could not create a new run directory")


def is_finished(run_dir: Path) -> bool:
    """metrics.json is written last, in one rename: it is there only when every other artifact is."""
    return (run_dir / "metrics.json").exists()


def check_unfinished(run_dir: Path) -> None:
    """Refuse to train into a run directory whose run has finished: its results would be overwritten."""
    if is_finished(run_dir):
        raise RunError(f"{run_dir}: this run already finished; start a new run instead of overwriting it")


class EpochTimer(keras.callbacks.Callback):
    """Adds the epoch's wall time to the logs, so history.csv records speed as well as loss."""

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["epoch_seconds"] = time.perf_counter() - self._start


class EpochSeeds(keras.callbacks.Callback):
    """Makes every random draw of an epoch a function of (seed, epoch number).

    That covers the order of the training data (data_sources.training_epoch) and the draws the model
    makes itself: dropout, random shifts and crops, the GAN's noise (every keras.random.SeedGenerator).
    Without it a resumed process would start those streams from the beginning again, and a run
    killed and resumed would end differently from one that was never interrupted.
    """

    def __init__(self, seed: int):
        super().__init__()
        self.seed = seed

    def on_epoch_begin(self, epoch, logs=None):
        training_epoch().assign(epoch)
        states = [v for v in self.model.variables if v.name == "seed_generator_state"]
        for index, state in enumerate(states):
            # Distinct primes keep every (generator, epoch) pair on a stream of its own.
            start = (self.seed * 1_000_003 + index * 7_919 + epoch * 104_729) % 2**31
            state.assign(np.array([start, 0], dtype=state.dtype))


class RunBackup(keras.callbacks.BackupAndRestore):
    """Keras's BackupAndRestore, safe against a kill while it writes, and kept until the run is finished.

    Keras writes the weights, then the epoch number, over two fixed files: a kill between the two
    pairs new weights with an old epoch. Here each epoch's weights get a file of their own, and the
    record that names them is renamed into place last. Keras also deletes the backup as soon as
    `fit` returns, before the model is saved; here `train` deletes it once the run is finished.

    Writing the weights and the optimizer's state takes a few hundredths of a second for a small
    network (a fifth of a run whose epochs take a fraction of a second) and seconds for AlexNet's 58
    million weights. So an epoch is backed up once `interval` seconds have passed since the last backup,
    or SLOW_BACKUP times as long as that backup took if that is longer, so that backups never take more
    than a twentieth of the run; the last epoch always is, and interval 0 backs up every epoch. A kill loses
    at most that much training. The best checkpoint is written just before, so the two agree.
    """

    SLOW_BACKUP = 20

    def __init__(self, folder: Path, interval: float, best: BestCheckpoint | None = None, writes: bool = True):
        super().__init__(str(folder), delete_checkpoint=False)
        self.folder, self.writes = folder, writes
        self.record = folder / "training_metadata.json"
        self.interval = interval
        self.best = best
        self.last_backup_seconds = 0.0

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._current_epoch = self._saved_epoch = self.completed_epochs()
        self._saved_at = time.monotonic()

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        if self.due(time.monotonic() - self._saved_at):
            self._save_model()

    def due(self, waited: float) -> bool:
        """Whether a backup is due `waited` seconds after the last one."""
        return self.interval == 0 or waited >= max(self.interval, self.SLOW_BACKUP * self.last_backup_seconds)

    def on_train_end(self, logs=None):
        if self._current_epoch > self._saved_epoch:
            self._save_model()

    def completed_epochs(self) -> int:
        return self._read_record()["epoch"] if self.record.exists() else 0

    def _read_record(self) -> dict:
        try:
            record = json.loads(self.record.read_text(encoding="utf-8"))
            if isinstance(record.get("epoch"), int) and (self.folder / str(record.get("weights"))).is_file():
                return record
        except (ValueError, OSError):
            pass
        raise RunError(f"{self.record}: damaged (not the record of a saved epoch); this run cannot be resumed, "
                       f"start a new run")

    def _save_model(self):
        if not self.writes:
            return
        started = time.monotonic()
        if self.best:
            self.best.write()
        self.folder.mkdir(parents=True, exist_ok=True)
        weights = self.folder / f"epoch-{self._current_epoch}.weights.h5"
        storage.write_atomically(weights, lambda temporary: self.model.save_weights(temporary, overwrite=True))
        storage.write_json(self.record, {"epoch": self._current_epoch, "weights": weights.name})
        for older in self.folder.glob("epoch-*.weights.h5"):
            if older != weights:
                older.unlink()
        self._saved_epoch, self._saved_at = self._current_epoch, time.monotonic()
        self.last_backup_seconds = self._saved_at - started

    def _load_model(self):
        if not self.record.exists():
            return
        record = self._read_record()
        if self.model.optimizer is not None and not self.model.optimizer.built:
            self.model.optimizer.build(self.model.trainable_variables)
        try:
            self.model.load_weights(self.folder / record["weights"])
        except (OSError, ValueError) as error:
            raise RunError(f"{self.folder / record['weights']}: cannot be restored into this model ({error}); "
                           f"start a new run") from None
        self.model._initial_epoch = record["epoch"]  # where fit starts; Keras's own BackupAndRestore sets it too

    def restore(self, model: keras.Model) -> int:
        """Load the backup into `model` now (fit loads it again, harmlessly); return the epochs it holds."""
        self.set_model(model)
        self._load_model()
        return self.completed_epochs()


class BestCheckpoint(keras.callbacks.Callback):
    """checkpoints/best.keras: the model of the best epoch so far (lowest `monitor`).

    Each better epoch's weights are kept in memory (copied only when the next epoch starts, since a
    backup right after it can save the model as it is); RunBackup writes them (renamed into place) just
    before each backup. A resumed run starts from the best value in history.csv, so it replaces the
    checkpoint only with a better epoch than any before the interruption.
    """

    def __init__(self, path: Path, monitor: str, past: list[float]):
        super().__init__()
        self.path, self.monitor = path, monitor
        self.best = min(past) if past else float("inf")
        self.weights, self.latest_is_best = None, False

    def on_epoch_begin(self, epoch, logs=None):
        if self.latest_is_best:  # the weights are about to change: keep a copy of the best
            self.weights, self.latest_is_best = self.model.get_weights(), False

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is not None and value < self.best:  # a NaN is never better
            # The copy waits for the next epoch: a backup right after this one saves the model as it is.
            self.best, self.weights, self.latest_is_best = value, None, True

    def write(self) -> None:
        """Save the best epoch not yet saved, if there is one; once on disk it need not be kept in memory."""
        if self.weights is None and not self.latest_is_best:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.latest_is_best:
            storage.write_atomically(self.path, self.model.save)
            self.latest_is_best = False
            return
        current = self.model.get_weights()
        self.model.set_weights(self.weights)
        storage.write_atomically(self.path, self.model.save)
        self.model.set_weights(current)
        self.weights = None


def early_stopping_state(values: list[float], patience: int) -> tuple[float | None, int, int, bool]:
    """EarlyStopping's bookkeeping replayed over the monitored values of past epochs (lower is better):
    the best value, its epoch, the epochs waited since, and whether it would have stopped."""
    best, best_epoch, wait = None, 0, 0
    for epoch, value in enumerate(values):
        if best is None or value < best:
            best, best_epoch, wait = value, epoch, 0
        else:
            wait += 1
    return best, best_epoch, wait, len(values) > 1 and wait >= patience


class ResumableEarlyStopping(keras.callbacks.EarlyStopping):
    """EarlyStopping that, in a resumed run, carries on from the epochs before the interruption: their
    best value, the epochs waited since, and the best weights (checkpoints/best.keras holds them)."""

    def __init__(self, monitor: str, patience: int, past: list[float], best_model: Path):
        super().__init__(monitor=monitor, mode="min", patience=patience, restore_best_weights=True)
        self.past, self.best_model = past, best_model

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        if self.past:
            self.best, self.best_epoch, self.wait, _ = early_stopping_state(self.past, self.patience)
            if self.best_model.is_file():  # the chief's; a worker on another machine keeps its current weights
                self.best_weights = keras.models.load_model(self.best_model, compile=False).get_weights()


class CrashPoints(keras.callbacks.Callback):
    """Tests only (storage.CRASH_ENV): kill the process inside an epoch, or after the epoch was logged
    but before its backup was written. `phase` tells the run's own fit ("") from a helper network's
    ("helper-": one RBM, the GAN's quality classifier)."""

    def __init__(self, phase: str = ""):
        super().__init__()
        self.phase = phase

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch, self.steps_done = epoch, 0

    def on_train_batch_end(self, batch, logs=None):
        # `batch` is the last step of the compiled call: with training.steps_per_execution > 1, several steps end here.
        for step in range(self.steps_done, batch + 1):
            storage.crash_point(f"{self.phase}epoch-{self.epoch}-batch-{step}")
        self.steps_done = batch + 1

    def on_epoch_end(self, epoch, logs=None):
        storage.crash_point(f"{self.phase}epoch-{epoch}-logged")


def make_callbacks(cfg: dict, run_dir: Path, monitor: str, is_chief: bool,
                   past: dict[str, list[float]], backup: RunBackup) -> list[keras.callbacks.Callback]:
    """Keras's own callbacks do the bookkeeping, in an order that matters: the timer first (so the CSV sees
    its column); the best checkpoint and the CSV row before the backup, so that an epoch the backup holds
    is always logged (a row logged after the last backup is dropped on resume, and that epoch trained again);
    early stopping last. `monitor` is lower-is-better: a loss, or the GAN's Fréchet distance."""
    callbacks = [EpochTimer(), EpochSeeds(cfg["seed"])]
    if is_chief:
        backup.best = BestCheckpoint(run_dir / "checkpoints" / "best.keras", monitor, past.get(monitor, []))
        callbacks += [
            backup.best,
            keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=True),
            keras.callbacks.TensorBoard(str(run_dir / "logs")),
        ]
    if os.environ.get(storage.CRASH_ENV):
        callbacks.append(CrashPoints())
    # Saves weights, optimizer state and the epoch number after every epoch, and restores them when the
    # same run directory is trained again: an interrupted run continues where it stopped.
    callbacks += [backup, keras.callbacks.TerminateOnNaN()]
    patience = cfg["training"]["early_stopping_patience"]
    if patience:
        callbacks.append(ResumableEarlyStopping(monitor, patience, past.get(monitor, []),
                                                run_dir / "checkpoints" / "best.keras"))
    return off_the_step(callbacks)


def off_the_step(callbacks: list[keras.callbacks.Callback]) -> list[keras.callbacks.Callback]:
    """Let Keras run these callbacks' step hooks on a helper thread (`async_safe`), so that no step waits for
    the one before it to report. Their step hooks do nothing at an epoch's frequency (checkpoints, backups,
    TensorBoard) or only read the loss (TerminateOnNaN). The crash points, for tests only, stay in step."""
    for callback in callbacks:
        callback.async_safe = not isinstance(callback, CrashPoints)
    return callbacks


def monitored(datasets) -> str:
    """What the best checkpoint and early stopping watch; model.py may name its own (the GAN has no loss to watch)."""
    return getattr(model_module, "MONITOR", None) or ("val_loss" if datasets.validation is not None else "loss")


def train(cfg: dict, run_dir: Path | None = None, verbose: bool = True) -> dict:
    """Train as `cfg` says and write every artifact; return the metrics written.

    run_dir: None makes a new runs/<time>-<name>/ once the config and the data have been checked, so a
    refused run leaves nothing behind. An existing, unfinished run directory is finished from where it
    stopped: inside or after training, while saving, or while scoring. verbose: show each epoch's progress
    (progress.py).
    """
    configure_devices(cfg)
    # Layers made from here on compute in float16 and keep float32 weights; compile then wraps the optimizer in
    # a LossScaleOptimizer, so that small float16 gradients do not round to zero. Each model's output layer is
    # float32 (a softmax in float16 loses the small probabilities).
    keras.mixed_precision.set_dtype_policy("mixed_float16" if cfg["training"]["mixed_precision"] else "float32")
    keras.utils.set_random_seed(cfg["seed"])
    if cfg["seed"] % (2**31 - 1) == 0:
        # TensorFlow reduces its global seed modulo 2**31 - 1, and at 0 tf.data refuses the per-epoch shuffle seed
        # of data_sources.pipeline (it tests the seeds with Python's ==, and one is a tensor): seeds 0 and
        # 2**31 - 1 give TensorFlow's own generator another start; Keras's generators keep the seed as given.
        tf.random.set_seed(2**31 - 2)
    if cfg["training"]["deterministic"]:
        tf.config.experimental.enable_op_determinism()
    strategy = make_strategy(cfg)
    replicas = strategy.num_replicas_in_sync
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
    is_chief = not multi_worker or strategy.cluster_resolver.task_id == 0

    # Each replica gets `batch_size` examples, so one step consumes batch_size x replicas.
    global_batch = cfg["training"]["batch_size"] * replicas
    datasets = data.load_datasets(cfg, global_batch, even_batches=replicas > 1)
    if datasets.validation is not None and int(datasets.validation.cardinality()) == 0:
        raise RunError(f"data.validation_split: the validation set is smaller than one global batch ({global_batch}); "
                       f"hold out more examples or lower training.batch_size")

    if run_dir is None:
        run_dir = new_run_dir(cfg)
    if is_chief:
        print(f"run directory: {run_dir}", flush=True)
    # Only the chief writes; the other workers of a multi-worker run go by its files (the run directory is on
    # storage they share), so that all of them restore the same backup and train the same epochs.
    if is_chief:
        run_dir.mkdir(parents=True, exist_ok=True)
    if not (run_dir / "model.keras").exists():  # written in one rename: there means trained and saved
        train_and_save(cfg, run_dir, strategy, datasets, is_chief, verbose)
    if not is_chief:
        return {}
    return finish(cfg, run_dir, datasets)


def train_and_save(cfg: dict, run_dir: Path, strategy, datasets, is_chief: bool,
                   verbose: bool) -> None:
    """Build the network, restore its backup if there is one, train the epochs still to do, and save model.keras."""
    replicas = strategy.num_replicas_in_sync
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
    # XLA cannot compile a step whose variables live on several CPU devices; on GPUs it can.
    jit_compile = cfg["training"]["jit_compile"] and (replicas == 1 or bool(tf.config.list_physical_devices("GPU")))
    with strategy.scope():
        model = model_module.build_model(cfg, **datasets.adapted)
        model.compile(
            optimizer=make_optimizer(cfg),
            loss=model_module.LOSS,
            metrics=model_module.METRICS,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution(cfg, replicas),
        )
    # Every worker restores the chief's backup; only the chief writes it.
    backup = RunBackup(run_dir / "backup", cfg["run"]["backup_interval_seconds"], writes=is_chief)
    with strategy.scope():  # restoring builds the optimizer's variables: under the strategy, like the model's
        done = backup.restore(model)
    epochs = cfg["training"]["epochs"]
    if epochs < done:
        raise RunError(f"training.epochs: got {epochs}; this run has already trained {done} epochs, so give at "
                       f"least {done}")
    # Restored (or new): only now does anything in the run directory change.
    if is_chief:
        keep_history(run_dir / "history.csv", done)
        keep_history(run_dir / "gradients.csv", done + 1)  # run.log_gradients: its row 0 is before training
        storage.write_atomically(run_dir / "config.yaml", partial(config_module.dump, cfg))
    past = plots.read_history(run_dir / "history.csv")
    monitor = monitored(datasets)
    patience = cfg["training"]["early_stopping_patience"]
    if patience and early_stopping_state(past.get(monitor, []), patience)[3]:
        epochs = done  # it had stopped early: fit only restores the best weights
    steps = cfg["training"]["steps_per_epoch"]

    def fit(network: keras.Model, epochs: int, callbacks: list) -> None:
        """`network.fit` on the run's pipelines; the loop written out where Keras's fit cannot run."""
        if verbose and is_chief:
            callbacks = [*callbacks, EpochProgress()]  # last: it shows what every other callback added to the logs
        # The variables of the model, its metrics and its optimizer, made now from the data's shapes, as fit
        # does under a strategy: made while tracing the first step, they make tf.function trace that step twice.
        with strategy.scope():
            network._symbolic_build(data_batch=datasets.train.element_spec)
        if multi_worker:
            fit_multi_worker(network, strategy, datasets, callbacks, epochs, steps)
        else:
            network.fit(datasets.train, validation_data=datasets.validation, epochs=epochs, steps_per_epoch=steps,
                        callbacks=callbacks, verbose=0, shuffle=False)

    # model.py may train the network's starting weights another way first (the DBN's RBMs). A resumed
    # run skips that: its backup holds the weights reached since.
    pretrain = getattr(model_module, "pretrain", None)
    if pretrain and not done:
        started = time.perf_counter()
        report = pretrain(model, cfg, strategy, partial(_fit_for_history, fit, cfg["seed"]),
                          run_dir if is_chief else None)
        report["pretraining_wall_time_seconds"] = round(time.perf_counter() - started, 3)
        if is_chief:
            record_unfinished(run_dir, report)
        storage.crash_point("after-pretraining")

    callbacks = make_callbacks(cfg, run_dir, monitor, is_chief, past, backup)
    # model.py may add per-epoch callbacks (the GAN's image grids and quality measures). They run right after the
    # timer and the seeds, so the CSV log, the best checkpoint and early stopping see what they add to the logs.
    run_callbacks = getattr(model_module, "run_callbacks", None)
    if run_callbacks:
        extra, report = run_callbacks(cfg, datasets, run_dir, partial(_fit_for_history, fit, cfg["seed"]), strategy,
                                      is_chief)
        callbacks[2:2] = extra
        if is_chief:
            record_unfinished(run_dir, report)
    if cfg["run"].get("log_gradients") and is_chief:  # the GAN has no such key, and no gradients.py
        from .gradients import GradientLog

        # On a batch fixed for the whole run, so that epochs differ only by what the weights learned.
        fixed = next(iter(datasets.validation if datasets.validation is not None else datasets.train))
        callbacks.insert(2, GradientLog(fixed, run_dir / "gradients.csv"))

    fit(model, epochs, callbacks)
    storage.crash_point("after-fit")
    if not is_chief:
        return
    described = {"name": type(strategy).__name__, "replicas": replicas,
                 "global_batch_size": cfg["training"]["batch_size"] * replicas}
    if multi_worker:  # how the workers found each other: TF_CONFIG (set by hand, by Ray, by Kubeflow) or Slurm
        described.update(workers=len(strategy.cluster_resolver.cluster_spec().as_dict()["worker"]),
                         cluster_resolver=type(strategy.cluster_resolver).__name__)
    record_unfinished(run_dir, {
        "strategy": described,
        "jit_compile": bool(model.jit_compile),  # what Keras used: it turns XLA off for layers that cannot compile
        "steps_per_execution": steps_per_execution(cfg, replicas),
        "dtype_policy": model.dtype_policy.name,
        "parameters": model.count_params(),
    })
    # model.py may wrap the trained network for saving: the text projects put the word lookup in front,
    # so the saved model reads raw strings while training ran on word ids made by the input pipeline.
    export = getattr(model_module, "saved_model", None)
    network = export(model, cfg, **datasets.adapted) if export else model
    storage.write_atomically(run_dir / "model.keras", network.save)
    storage.crash_point("after-model")


def finish(cfg: dict, run_dir: Path, datasets) -> dict:
    """Everything after training, made from what is on disk: the curves, the test scores, and metrics.json,
    written last because it marks the run finished. Then the backup is no longer needed."""
    history = plots.read_history(run_dir / "history.csv")
    plots.plot_history(history, run_dir / "training_curves.png")
    if (run_dir / "gradients.csv").exists():
        from . import gradients

        gradients.plot(gradients.read(run_dir / "gradients.csv"), run_dir / "gradients.png")
    epoch_times = [float(t) for t in history.get("epoch_seconds", [])]
    monitor = monitored(datasets)
    metrics = {
        "architecture": ARCHITECTURE,
        "data": datasets.describe(),
        "class_names": datasets.class_names,  # what each output means, for `predict`
        **read_unfinished(run_dir),
        "epochs_completed": len(epoch_times),
        # The epochs' own times, summed: an interrupted run counts each epoch it kept once.
        "wall_time_seconds": round(sum(epoch_times), 3),
        "final_epoch": {key: float(values[-1]) for key, values in history.items() if key != "epoch" and values},
        "monitor": monitor,
        "best": float(min(history[monitor])) if history.get(monitor) else None,
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__},
    }
    # Score the saved file, outside any strategy: that is the model `evaluate` and `predict` will load.
    metrics["test"] = evaluation.evaluate(keras.models.load_model(run_dir / "model.keras"), datasets, run_dir, cfg)
    storage.crash_point("after-evaluation")
    storage.write_json(run_dir / "metrics.json", metrics)
    shutil.rmtree(run_dir / "backup", ignore_errors=True)
    (run_dir / UNFINISHED).unlink(missing_ok=True)
    for stray in run_dir.rglob(".*.partial*"):  # a write cut short by a kill, whose file was written again since
        stray.unlink()
    return metrics


# What an unfinished run has recorded so far (the pre-training report, training facts); it becomes part of
# metrics.json when the run finishes.
UNFINISHED = "unfinished.json"


def record_unfinished(run_dir: Path, updates: dict) -> None:
    storage.write_json(run_dir / UNFINISHED, {**read_unfinished(run_dir), **updates})


def read_unfinished(run_dir: Path) -> dict:
    path = run_dir / UNFINISHED
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def keep_history(path: Path, epochs: int) -> None:
    """Keep the history.csv rows of the first `epochs` epochs, the ones the backup holds.

    A row written after the last backup (the kill came before the epoch's backup was saved), or cut
    short by the kill, is dropped: that epoch is trained again and logs its row again.
    """
    if not path.exists():
        return
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return
    header, kept = rows[0], [row for row in rows[1:] if len(row) == len(rows[0]) and row[0].isdigit()
                             and int(row[0]) < epochs]
    if len(kept) != len(rows) - 1:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *kept])  # as CSVLogger writes it
        storage.write_text(path, buffer.getvalue())


def _fit_for_history(fit, seed: int, network: keras.Model, epochs: int) -> dict[str, list[float]]:
    """Train a helper network (such as one RBM) with only the timer and the seeds; return its per-epoch logs."""
    history = keras.callbacks.History()
    crash_points = [CrashPoints("helper-")] if os.environ.get(storage.CRASH_ENV) else []
    fit(network, epochs, off_the_step([EpochTimer(), EpochSeeds(seed), keras.callbacks.TerminateOnNaN(), *crash_points,
                                       history]))
    return history.history


def fit_multi_worker(model, strategy, datasets, callbacks, epochs, steps_per_epoch) -> None:
    """What `model.fit` does, written out for MultiWorkerMirroredStrategy.

    Keras 3's `fit` fails under that strategy (keras-team/keras#20585), so this loop calls the
    model's own `train_step` on every replica with `strategy.run` and drives the same callbacks
    through a `CallbackList`: checkpoints, backups, logs and early stopping behave as with `fit`.
    Every worker must run the same number of steps, so the training data repeats and an epoch is a
    fixed number of steps.
    """
    if steps_per_epoch is None:
        # The pipeline's batches are global batches: each step splits one between the workers (each reads its
        # share), so an epoch is as many steps as there are batches, on every worker.
        steps_per_epoch = int(datasets.train.cardinality())
        if steps_per_epoch < 1:
            raise RunError("distribute.strategy=multi_worker needs training.steps_per_epoch when the training "
                           "set's size is unknown")
    callback_list = keras.callbacks.CallbackList(callbacks, add_history=True, model=model, verbose=0, epochs=epochs,
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
    storage.write_json(path, metrics)
    return metrics
