"""From a checked config to a finished run directory.

The order is the data flow of the project: devices and strategy -> data -> model -> fit with
callbacks -> saved model, history, plots and metrics. Everything a run produces goes into one
run directory, which also holds what is needed to resume it after an interruption.
"""

from __future__ import annotations

import os
import shutil
import time
from functools import partial
from pathlib import Path

import keras
import tensorflow as tf

from . import __version__, gradients, plots, storage
from . import config as config_module
from .backup import PhaseBackup, RunBackup
from .callbacks import (
    CrashPoints,
    EpochSeeds,
    EpochTimer,
    TerminateOnNaN,
    early_stopping_state,
    make_callbacks,
    off_the_step,
)
from .compile_choice import POLICIES, decide, decide_precision, jit_compile_reason, steps_per_execution
from .devices import configure_devices, make_optimizer, make_strategy
from .i18n import _, ngettext
from .lesson import Lesson
from .multi_worker import fit_multi_worker
from .progress import EpochProgress
from .run_files import UNFINISHED, RunError, keep_history, make_run_dir, new_run_dir, read_unfinished, record_unfinished
from .run_lock import hold, release


def monitored(lesson: Lesson, datasets) -> str:
    """What the best checkpoint and early stopping watch; a lesson may name its own (the GAN has no loss to watch)."""
    return lesson.monitor or ("val_loss" if datasets.validation is not None else "loss")


def train(lesson: Lesson, cfg: dict, run_dir: Path | None = None, verbose: bool = True) -> dict:
    """Train `lesson` as `cfg` says and write every artifact; return the metrics written.

    run_dir: None makes a new runs/<time>-<name>/ once the config and the data have been checked, so a
    refused run leaves nothing behind. An existing, unfinished run directory is finished from where it
    stopped: inside or after training, while saving, or while scoring. verbose: show each epoch's progress
    (progress.py).
    """
    configure_devices(cfg)
    keras.mixed_precision.set_dtype_policy("float32")  # until train_and_save decides the run's (compile_choice.py)
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

    try:
        # Each replica gets `batch_size` examples, so one step consumes batch_size x replicas.
        global_batch = cfg["training"]["batch_size"] * replicas
        datasets = lesson.data(cfg, global_batch, even_batches=replicas > 1)
        if datasets.validation is not None and int(datasets.validation.cardinality()) == 0:
            raise RunError(_("data.validation_split: the validation set is smaller than one global batch "
                             "({global_batch}); hold out more examples or lower training.batch_size").format(
                               global_batch=global_batch))

        if run_dir is None:
            run_dir = new_run_dir(cfg, lesson.name)
        if is_chief:
            print(_("run directory: {run_dir}").format(run_dir=run_dir), flush=True)
        # Only the chief writes; the other workers of a multi-worker run go by its files (the run directory is on
        # storage they share), so that all of them restore the same backup and train the same epochs.
        if is_chief:  # the one writer from here on (run_lock.py), before anything in the run directory changes
            make_run_dir(run_dir)
            hold(run_dir)
        if not (run_dir / "model.keras").exists():  # written in one rename: there means trained and saved
            train_and_save(lesson, cfg, run_dir, strategy, datasets, is_chief, verbose)
        if not is_chief:
            return {}
        return finish(lesson, cfg, run_dir, datasets)
    finally:  # the run is finished, or this process gives up on it: either way it writes no more
        if run_dir is not None:
            release(run_dir)


PRECISIONS = {policy: answer for answer, policy in POLICIES.items()}  # what config.yaml keeps for a resume


def train_and_save(lesson: Lesson, cfg: dict, run_dir: Path, strategy, datasets, is_chief: bool,
                   verbose: bool) -> None:
    """Build the network, restore its backup if there is one, train the epochs still to do, and save model.keras."""
    replicas = strategy.num_replicas_in_sync
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
    # XLA or not is decided on this machine (compile_choice.py) when a run starts, and recorded: its config.yaml
    # keeps the answer in place of `auto`, so that a resume compiles as the run began.
    steps_per_call, steps_reason = steps_per_execution(cfg, replicas)
    chosen = read_unfinished(run_dir).get("compile")
    policy, policy_reason = (chosen["dtype_policy"], None) if chosen else decide_precision(lesson, cfg, datasets,
                                                                                            strategy)
    # Layers made from here on compute in float16 or bfloat16 where the policy says so and keep float32 weights;
    # under float16 compile wraps the optimizer in a LossScaleOptimizer, so that small gradients do not round to
    # zero. Each model's output layer is float32 (a softmax in half precision loses the small probabilities).
    keras.mixed_precision.set_dtype_policy(policy)
    jit_compile, measured = (chosen["jit_compile"], None) if chosen else decide(lesson, cfg, datasets, strategy,
                                                                               steps_per_call)
    with strategy.scope():
        model = lesson.model(cfg, **datasets.adapted)
        lesson.compile(model, optimizer=make_optimizer(cfg), jit_compile=jit_compile,
                       steps_per_execution=steps_per_call)
    chosen = chosen or {
        "dtype_policy": policy, "dtype_policy_reason": policy_reason,
        "jit_compile": bool(model.jit_compile),
        "jit_compile_reason": measured or jit_compile_reason(cfg, model, replicas),
        "steps_per_execution": steps_per_call, "steps_per_execution_reason": steps_reason}
    # Every worker restores the chief's backup; only the chief writes it.
    backup = RunBackup(run_dir / "backup", cfg["run"]["backup_interval_seconds"], writes=is_chief)
    with strategy.scope():  # restoring builds the optimizer's variables: under the strategy, like the model's
        done = backup.restore(model)
    epochs = cfg["training"]["epochs"]
    if epochs < done:
        raise RunError(_("training.epochs: got {epochs}; this run has already trained {done} epochs, so give at "
                         "least {done}").format(epochs=epochs, done=done))
    # Restored (or new): only now does anything in the run directory change.
    if is_chief:
        per_call = chosen["steps_per_execution"]
        # One sentence per answer (XLA on or off, one step or several), so that a translation words each whole.
        line = (ngettext("{policy} ({policy_reason}); XLA on ({jit_reason}); {per_call} step per compiled call "
                         "({steps_reason})",
                         "{policy} ({policy_reason}); XLA on ({jit_reason}); {per_call} steps per compiled call "
                         "({steps_reason})", per_call) if chosen["jit_compile"] else
                ngettext("{policy} ({policy_reason}); XLA off ({jit_reason}); {per_call} step per compiled call "
                         "({steps_reason})",
                         "{policy} ({policy_reason}); XLA off ({jit_reason}); {per_call} steps per compiled call "
                         "({steps_reason})", per_call))
        print(line.format(policy=chosen["dtype_policy"], policy_reason=chosen["dtype_policy_reason"],
                          jit_reason=chosen["jit_compile_reason"], per_call=per_call,
                          steps_reason=chosen["steps_per_execution_reason"]), flush=True)
        record_unfinished(run_dir, {"compile": chosen})
        keep_history(run_dir / "history.csv", done)
        keep_history(run_dir / "gradients.csv", done + 1)  # run.log_gradients: its row 0 is before training
        kept = {**cfg, "training": {**cfg["training"], "jit_compile": chosen["jit_compile"],
                                    "mixed_precision": PRECISIONS[chosen["dtype_policy"]]}}
        storage.write_atomically(run_dir / "config.yaml", partial(config_module.dump, kept))
    past = plots.read_history(run_dir / "history.csv")
    monitor = monitored(lesson, datasets)
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
            lesson.fit(network, datasets, epochs=epochs, steps_per_epoch=steps, callbacks=callbacks)

    # A lesson may train the network's starting weights another way first (the DBN's RBMs). A resumed
    # run skips that: its backup holds the weights reached since.
    if not done:
        started = time.perf_counter()
        phases = PhaseBackup(run_dir / "backup" / "pretraining", writes=is_chief)
        report = lesson.pretrain(model, cfg, strategy, partial(_fit_for_history, fit, cfg["seed"], phases),
                                 run_dir if is_chief else None)
        if report:
            report["pretraining_wall_time_seconds"] = round(time.perf_counter() - started, 3)
            if is_chief:
                record_unfinished(run_dir, report)
            storage.crash_point("after-pretraining")

    callbacks = make_callbacks(cfg, run_dir, monitor, is_chief, past, backup)
    # A lesson may add per-epoch callbacks (the GAN's image grids and quality measures). They run right after the
    # timer and the seeds, so the CSV log, the best checkpoint and early stopping see what they add to the logs.
    extra, report = lesson.epoch_callbacks(cfg, datasets, run_dir, partial(_fit_for_history, fit, cfg["seed"], None),
                                           strategy, is_chief)
    callbacks[2:2] = extra
    if report and is_chief:
        record_unfinished(run_dir, report)
    if cfg["run"].get("log_gradients") and is_chief:  # a lesson without the setting (the GAN's) logs none
        # On a batch fixed for the whole run, so that epochs differ only by what the weights learned.
        fixed = next(iter(datasets.validation if datasets.validation is not None else datasets.train))
        callbacks.insert(2, gradients.GradientLog(fixed, run_dir / "gradients.csv"))

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
        "dtype_policy": model.dtype_policy.name,
        "parameters": model.count_params(),
    })
    # A lesson may wrap the trained network for saving: the text projects put the word lookup in front,
    # so the saved model reads raw strings while training ran on word ids made by the input pipeline.
    network = lesson.saved_model(model, cfg, **datasets.adapted)
    storage.write_atomically(run_dir / "model.keras", network.save)
    storage.crash_point("after-model")


def finish(lesson: Lesson, cfg: dict, run_dir: Path, datasets) -> dict:
    """Everything after training, made from what is on disk: the curves, the test scores, and metrics.json,
    written last because it marks the run finished. Then the backup is no longer needed."""
    history = plots.read_history(run_dir / "history.csv")
    plots.plot_history(history, run_dir / "training_curves.png")
    if (run_dir / "gradients.csv").exists():
        gradients.plot(gradients.read(run_dir / "gradients.csv"), run_dir / "gradients.png")
    epoch_times = [float(t) for t in history.get("epoch_seconds", [])]
    monitor = monitored(lesson, datasets)
    metrics = {
        "architecture": lesson.name,
        "data": datasets.describe(),
        "class_names": datasets.class_names,  # what each output means, for `predict`
        **read_unfinished(run_dir),
        "epochs_completed": len(epoch_times),
        # The epochs' own times, summed: an interrupted run counts each epoch it kept once.
        "wall_time_seconds": round(sum(epoch_times), 3),
        "final_epoch": {key: float(values[-1]) for key, values in history.items() if key != "epoch" and values},
        "monitor": monitor,
        "best": float(min(history[monitor])) if history.get(monitor) else None,
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "runtime": __version__},
    }
    # Score the saved file, outside any strategy: that is the model `evaluate` and `predict` will load.
    metrics["test"] = lesson.evaluate(keras.models.load_model(run_dir / "model.keras"), datasets, run_dir, cfg)
    storage.crash_point("after-evaluation")
    storage.write_json(run_dir / "metrics.json", metrics)
    shutil.rmtree(run_dir / "backup", ignore_errors=True)
    (run_dir / UNFINISHED).unlink(missing_ok=True)
    for stray in run_dir.rglob(".*.partial*"):  # a write cut short by a kill, whose file was written again since
        stray.unlink()
    return metrics


def _fit_for_history(fit, seed: int, phases: PhaseBackup | None, network: keras.Model, epochs: int,
                     name: str | None = None) -> dict[str, list[float]]:
    """Train a helper network (such as one RBM) with only the timer and the seeds; return its per-epoch logs.
    A named one is backed up once trained (backup.PhaseBackup): a run killed after it restores it instead."""
    if name and phases and (history := phases.restore(name, network)) is not None:
        return history
    logs = keras.callbacks.History()
    crash_points = [CrashPoints(f"{name or 'helper'}-")] if os.environ.get(storage.CRASH_ENV) else []
    fit(network, epochs, off_the_step([EpochTimer(), EpochSeeds(seed), TerminateOnNaN(), *crash_points,
                                       logs]))
    if name and phases:
        phases.save(name, network, logs.history)
    return logs.history
