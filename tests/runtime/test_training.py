"""A short real run: every artifact of a run directory, repeatability, fallbacks and strategies."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from standin import schema
from standin.lesson import LESSON
from standin.runtime import backup, callbacks, compile_choice, data_sources, devices, plots, run_files, training

from .conftest import CONFIG_PATH, EPOCHS, FINISHED, PROJECT_ROOT, STEADY_OPTIMIZER, run_project

PROGRESS = "loss"  # what falls as the stand-in learns

ARTIFACTS = {"config.yaml", "model.keras", "history.csv", "metrics.json", "training_curves.png", "logs",
             "checkpoints", *LESSON.evaluation_artifacts}


def test_run_writes_every_artifact(finished_run):
    """The shared finished run (conftest.py), trained by the command line as a learner trains."""
    run_dir = finished_run
    assert ARTIFACTS <= {path.name for path in run_dir.iterdir()}
    assert not (run_dir / "backup").exists(), "the backup is removed once the run is finished"
    assert not (run_dir / run_files.UNFINISHED).exists() and not list(run_dir.rglob(".*.partial*"))
    assert (run_dir / "checkpoints" / "best.keras").is_file()
    assert list((run_dir / "logs").rglob("events.out.tfevents.*")), "TensorBoard wrote no event file"
    resolved = schema.load(CONFIG_PATH, [*FINISHED, f"run.runs_dir={run_dir.parent}"])
    assert schema.load(run_dir / "config.yaml") == resolved, "the resolved config is saved with the run"
    saved = json.loads((run_dir / "metrics.json").read_text())
    assert saved["epochs_completed"] == EPOCHS
    assert saved["data"]["source"] == "synthetic" and saved["data"]["fallback_reason"] is None
    assert saved["test"]["examples"] > 0 and np.isfinite(saved["test"][LESSON.headline])
    history = (run_dir / "history.csv").read_text().splitlines()
    assert history[0].split(",")[:1] == ["epoch"] and len(history) == 1 + EPOCHS


def test_the_synthetic_digits_are_learned(finished_run):
    losses = plots.read_history(finished_run / "history.csv")[PROGRESS]
    assert losses[-1] < 0.75 * losses[0], f"{PROGRESS} did not fall: {losses}"
    metrics = json.loads((finished_run / "metrics.json").read_text())
    assert metrics["final_epoch"]["val_accuracy"] > 0.5, "most validation examples right"


def test_same_seed_same_run_shown_one_line_per_epoch(quick_config, finished_run, capsys):
    """The shared finished run, trained again from the same config: the same numbers to the last digit; its
    progress, written to a file here, is one line per epoch, never a redrawn bar."""
    cfg = quick_config(*FINISHED)
    again = json.loads(json.dumps(training.train(LESSON, cfg, run_files.new_run_dir(cfg, LESSON.name))))
    first = json.loads((finished_run / "metrics.json").read_text())
    scores = [(metrics["final_epoch"][PROGRESS], metrics["test"][LESSON.headline]) for metrics in (first, again)]
    assert scores[0] == scores[1]
    # The run's own fit prints last (a lesson's helper networks, such as the DBN's RBMs, train before it).
    shown = [line for line in capsys.readouterr().out.splitlines() if line.startswith("epoch ")][-EPOCHS:]
    assert [line.split()[1] for line in shown] == [f"{epoch}/{EPOCHS}" for epoch in range(1, EPOCHS + 1)], shown
    assert all(f"{PROGRESS} " in line and re.search(r" (\d+)/\1 steps", line) for line in shown), shown


def test_mixed_precision_trains_with_float16_maths_and_float32_weights(quick_config):
    """What a GPU run with training.mixed_precision=true does, checked on the CPU (slowly there) for a few steps."""
    import keras

    cfg = quick_config("training.mixed_precision=true", "training.epochs=1", "training.steps_per_epoch=3")
    try:
        run_dir = run_files.new_run_dir(cfg, LESSON.name)
        metrics = training.train(LESSON, cfg, run_dir, verbose=0)
        assert metrics["dtype_policy"] == "mixed_float16"
        assert all(np.isfinite(value) for value in metrics["final_epoch"].values())
        assert np.isfinite(metrics["test"][LESSON.headline])
        saved = keras.models.load_model(run_dir / "checkpoints" / "best.keras", compile=False)
        computes = {layer.compute_dtype for layer in _layers(saved) if layer.weights}
        assert "float16" in computes, computes
        assert all(weight.dtype == "float32" for weight in saved.weights), "weights stay float32"
    finally:
        keras.mixed_precision.set_dtype_policy("float32")  # the global policy, for the tests that follow


@pytest.mark.usefixtures("without_op_determinism")
def test_precision_auto_is_measured_where_the_cpu_has_bfloat16_and_kept_with_the_run(quick_config, capsys, tmp_path,
                                                                                       monkeypatch):
    """training.mixed_precision: auto on a CPU with bfloat16 instructions (said here, whatever this machine has):
    a few steps timed in each precision, once per machine; the run's first lines, metrics.json and config.yaml
    say what was used and why. On a CPU without them it is float32, unmeasured."""
    import keras

    monkeypatch.setenv("KERAS_CLASSICS_XLA_CHOICES", str(tmp_path / "choices.json"))
    cfg = quick_config("training.mixed_precision=auto", "training.jit_compile=false", "training.epochs=1",
                       "training.steps_per_epoch=3")
    try:
        monkeypatch.setattr(compile_choice, "cpu_flags", lambda: {"avx512f", "amx_bf16"})
        runs = []
        for _ in range(2):
            run_dir = run_files.new_run_dir(cfg, LESSON.name)
            runs.append((run_dir, training.train(LESSON, cfg, run_dir, verbose=0)))
        (first_dir, first), (_, second) = runs
        entry, = json.loads((tmp_path / "choices.json").read_text()).values()
        assert entry["bfloat16"] > 0 and entry["float32"] > 0
        faster = entry["bfloat16"] > compile_choice.CLEARLY_FASTER * entry["float32"]
        policy = "mixed_bfloat16" if faster else "float32"
        assert first["compile"]["dtype_policy"] == first["dtype_policy"] == policy
        assert "measured on this machine (a CPU with bfloat16 instructions;" in first["compile"]["dtype_policy_reason"]
        assert second["compile"] == first["compile"], "the second run reads the first one's measurement"
        assert schema.load(first_dir / "config.yaml")["training"]["mixed_precision"] == ("bfloat16" if faster else
                                                                                           False)
        assert f"{policy} (training.mixed_precision: auto, and measured" in capsys.readouterr().out
        assert keras.mixed_precision.global_policy().name == policy

        monkeypatch.setattr(compile_choice, "cpu_flags", lambda: {"avx512f"})
        policy, reason = compile_choice.decide_precision(LESSON, cfg, None, tf.distribute.get_strategy())
        assert policy == "float32" and "no bfloat16 instructions" in reason
    finally:
        keras.mixed_precision.set_dtype_policy("float32")  # the global policy, for the tests that follow


def test_bfloat16_trains_with_bfloat16_maths_and_float32_weights(quick_config):
    import keras

    cfg = quick_config("training.mixed_precision=bfloat16", "training.epochs=1", "training.steps_per_epoch=3")
    try:
        metrics = training.train(LESSON, cfg, run_files.new_run_dir(cfg, LESSON.name), verbose=0)
        assert metrics["dtype_policy"] == "mixed_bfloat16" and np.isfinite(metrics["test"][LESSON.headline])
        assert metrics["compile"]["dtype_policy_reason"] == "training.mixed_precision: bfloat16"
    finally:
        keras.mixed_precision.set_dtype_policy("float32")


@pytest.fixture
def without_op_determinism():
    """Keras never compiles with XLA while TensorFlow's op determinism is on, and a REPEATABLE run earlier in this
    process turned it on for good: off for this test, as in a process that trains one run."""
    from tensorflow.python.framework import config as tf_config

    was_on = tf_config.is_op_determinism_enabled()
    tf_config.disable_op_determinism()
    yield
    if was_on:
        tf_config.enable_op_determinism()


@pytest.mark.usefixtures("without_op_determinism")
def test_xla_auto_is_decided_on_the_machine_said_and_kept_with_the_run(quick_config, capsys, tmp_path, monkeypatch):
    """training.jit_compile: auto on a machine without a GPU: a few steps measured both ways, once per machine (the
    user's cache folder); the run's first lines and metrics.json say what was used and why, and the run's
    config.yaml keeps the answer for a resume. With a GPU it is Keras's own answer (on)."""
    monkeypatch.delenv("KERAS_CLASSICS_XLA_CHOICES")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert compile_choice.cache_path() == tmp_path / "cache" / "keras-classics" / "xla-choices.json"
    monkeypatch.setenv("KERAS_CLASSICS_XLA_CHOICES", str(tmp_path / "xla.json"))
    (tmp_path / "xla.json").write_text("{damaged")  # measured again, and written anew
    cfg = quick_config("training.jit_compile=auto", "training.epochs=1", "training.steps_per_epoch=6",
                       "training.steps_per_execution=4")
    gpu = bool(tf.config.list_physical_devices("GPU"))
    runs = []
    for _ in range(2):
        run_dir = run_files.new_run_dir(cfg, LESSON.name)
        runs.append((run_dir, training.train(LESSON, cfg, run_dir, verbose=0)["compile"]))
    (first_dir, first), (_, second) = runs
    assert first["jit_compile_reason"].startswith("training.jit_compile: auto")
    if not gpu:
        cache = tmp_path / "xla.json"
        entry, = json.loads(cache.read_text()).values()
        assert entry["xla"] > 0 and entry["no_xla"] > 0
        assert first["jit_compile"] is (entry["xla"] > compile_choice.CLEARLY_FASTER * entry["no_xla"])
        assert "measured on this machine (no GPU;" in first["jit_compile_reason"] and str(cache) in \
            first["jit_compile_reason"]
        assert second == first, "the second run reads the first one's measurement"
    # 4 steps per call cannot make 6 steps an epoch: Keras would run 8.
    assert first["steps_per_execution"] == 2 and "must be a multiple" in first["steps_per_execution_reason"]
    assert schema.load(first_dir / "config.yaml")["training"]["jit_compile"] is first["jit_compile"]
    shown = capsys.readouterr().out
    assert f"XLA {'on' if first['jit_compile'] else 'off'} ({first['jit_compile_reason']}); 2 steps per compiled " \
           "call" in shown, shown


@pytest.mark.usefixtures("without_op_determinism")
def test_measuring_xla_leaves_the_run_as_it_would_have_been(quick_config):
    """The measurement builds and trains networks of its own; the run's network is built afterwards with the same
    starting weights and layer names as without it."""
    import keras

    cfg = quick_config("training.jit_compile=auto")
    datasets = LESSON.data(cfg, 64)
    built = []
    for measured in (False, True):
        keras.backend.clear_session()
        keras.utils.set_random_seed(cfg["seed"])
        if measured:
            speeds = compile_choice.measure(LESSON, cfg, datasets, steps_per_call=2)
            assert speeds[True] > 0 and speeds[False] > 0
            speeds = compile_choice.measure(LESSON, cfg, datasets, 1, 2, variants={
                "bfloat16": ("mixed_bfloat16", False), "float32": ("float32", False)})
            assert speeds["bfloat16"] > 0 and speeds["float32"] > 0
            assert keras.mixed_precision.global_policy().name == "float32", "the run's policy, as it was"
        built.append(LESSON.model(cfg, **datasets.adapted))
    assert [w.path for w in built[0].weights] == [w.path for w in built[1].weights]
    assert all(np.array_equal(a, b) for a, b in zip(built[0].get_weights(), built[1].get_weights(), strict=True))


def test_xla_asked_for_is_used_or_the_reason_it_is_not_is_given(quick_config):
    """true where a layer cannot be compiled (Keras's RandomTranslation) or the variables live on several CPU
    devices: off, with the reason."""
    import keras

    cfg = quick_config("training.jit_compile=true")
    network = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.RandomTranslation(0.1, 0.1, name="shift"),
                                keras.layers.Flatten(), keras.layers.Dense(2)])
    network.compile(loss="mse", jit_compile=compile_choice.jit_compile_asked(cfg, replicas=1))
    assert network.jit_compile is False
    assert compile_choice.jit_compile_reason(cfg, network, 1) == ("training.jit_compile: true, but Keras cannot "
                                                                  "compile these layers with XLA: shift")
    if not tf.config.list_physical_devices("GPU"):
        assert compile_choice.jit_compile_asked(cfg, replicas=2) is False
    assert compile_choice.jit_compile_reason(quick_config("training.jit_compile=false"), network, 1) == \
        "training.jit_compile: false"


def _layers(model):
    for layer in model.layers:
        yield from _layers(layer) if hasattr(layer, "layers") else [layer]


def test_a_slow_backup_waits_longer_so_backups_stay_a_twentieth_of_the_run(tmp_path):
    slow = backup.RunBackup(tmp_path / "backup", interval=10)
    assert not slow.due(9.9) and slow.due(10.0)
    slow.last_backup_seconds = 2.0  # about what AlexNet's 58 million weights and Adam state take on a slow disk
    assert not slow.due(39.9) and slow.due(40.0)
    assert backup.RunBackup(tmp_path / "every", interval=0).due(0.0), "interval 0 backs up every epoch"


def test_the_best_checkpoint_holds_the_best_epoch_whenever_it_is_written(tmp_path):
    import keras

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    best = callbacks.BestCheckpoint(tmp_path / "best.keras", "val_loss", past=[])
    best.set_model(model)

    def epoch(number: int, val_loss: float) -> list[np.ndarray]:
        best.on_epoch_begin(number)
        model.set_weights([np.full_like(w, number) for w in model.get_weights()])  # "training"
        best.on_epoch_end(number, {"val_loss": val_loss})
        return model.get_weights()

    first = epoch(0, 1.0)
    best.write()  # right after the best epoch: saved as it is
    assert np.array_equal(keras.models.load_model(best.path).get_weights()[0], first[0])
    epoch(1, 2.0)
    best.path.unlink()
    best.write()
    assert not best.path.exists(), "nothing better since the last write: nothing to write"
    third = epoch(2, 0.5)
    current = epoch(3, 0.7)
    best.write()  # two epochs later: the copy of epoch 2, and the model keeps its own weights
    assert np.array_equal(keras.models.load_model(best.path).get_weights()[0], third[0])
    assert np.array_equal(model.get_weights()[0], current[0])


def test_auto_falls_back_to_synthetic_loudly(quick_config, tmp_path, monkeypatch, capsys):
    """With no local copy and no network, `auto` gives synthetic data, says so, and records why: a run saves
    `describe()` as metrics.json's `data` (test_run_writes_every_artifact reads it from a trained run)."""
    monkeypatch.setattr(socket, "create_connection", _refuse)
    cfg = quick_config("data.source=auto", f"data.data_dir={tmp_path / 'empty'}")
    datasets = LESSON.data(cfg, cfg["training"]["batch_size"])
    assert datasets.describe()["source"] == "synthetic"
    assert "network is unreachable" in datasets.describe()["fallback_reason"]
    assert "SYNTHETIC data" in capsys.readouterr().err
    first_batch = tf.nest.flatten(next(iter(datasets.train)))
    assert first_batch[0].shape[0] == cfg["training"]["batch_size"], "full batches of synthetic examples to train on"


def test_tfds_without_data_or_network_fails_fast_and_clearly(quick_config, tmp_path, monkeypatch):
    monkeypatch.setattr(socket, "create_connection", _refuse)
    cfg = quick_config("data.source=tfds", f"data.data_dir={tmp_path / 'empty'}")
    with pytest.raises(data_sources.DataError, match="is not in .*empty and the network is unreachable"):
        training.train(LESSON, cfg, verbose=0)
    assert not (tmp_path / "runs").exists(), "a run refused for its data leaves no run directory behind"


def _refuse(*_args, **_kwargs):
    raise OSError("network disabled in this test")


def test_mirrored_strategy_over_two_logical_cpus(tmp_path):
    """Two replicas on one CPU: the global batch doubles and the loss still falls (fresh process,
    because devices can only be split before TensorFlow starts)."""
    result = run_project("data.source=synthetic", "data.synthetic_examples=1024", "training.epochs=3",
                         "training.batch_size=32", "training.early_stopping_patience=0",
                         "distribute.strategy=mirrored", "distribute.cpu_replicas=2",
                         f"run.runs_dir={tmp_path}", *STEADY_OPTIMIZER)
    assert result.returncode == 0, result.stderr[-3000:]
    (run_dir,) = tmp_path.iterdir()
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["strategy"] == {"name": "MirroredStrategy", "replicas": 2, "global_batch_size": 64}
    # The synthetic source makes a fifth as many test images: 204, not a multiple of the global batch.
    assert metrics["test"]["examples"] == 1024 // 5, "every test example is scored, even the uneven last batch"
    losses = plots.read_history(run_dir / "history.csv")[PROGRESS]
    assert losses[-1] < losses[0]


def test_multi_worker_two_processes(tmp_path):
    """MultiWorkerMirroredStrategy with two worker processes on 127.0.0.1, configured by TF_CONFIG."""

    ports = [_free_port(), _free_port()]
    workers = [f"127.0.0.1:{port}" for port in ports]
    args = ["data.source=synthetic", "data.synthetic_examples=1024", "training.epochs=3", "training.batch_size=32",
            "training.early_stopping_patience=0", "distribute.strategy=multi_worker", f"run.runs_dir={tmp_path}",
            *STEADY_OPTIMIZER]
    run_dir = tmp_path / "shared-run"
    processes = []
    for index in range(2):
        tf_config = json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})
        env = {**os.environ, "TF_CONFIG": tf_config, "TF_CPP_MIN_LOG_LEVEL": "2"}
        command = [sys.executable, str(PROJECT_ROOT / "train.py"), "--run-dir", str(run_dir), *args]
        output = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
        processes.append(subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, text=True, **output))
    outputs = [process.communicate(timeout=300)[0] for process in processes]
    for process, output in zip(processes, outputs, strict=True):
        assert process.returncode == 0, output[-3000:]
    metrics = json.loads((run_dir / "metrics.json").read_text())
    # CollectiveAllReduceStrategy is the class behind the name MultiWorkerMirroredStrategy.
    assert metrics["strategy"]["name"] == "CollectiveAllReduceStrategy"
    assert metrics["strategy"]["replicas"] == 2
    losses = plots.read_history(run_dir / "history.csv")[PROGRESS]
    assert len(losses) == 3 and losses[-1] < losses[0]
    assert np.isfinite(metrics["test"][LESSON.headline])


def test_a_slurm_job_step_of_two_tasks_is_a_cluster_of_two_workers(monkeypatch):
    """What srun sets for the second of two tasks on nodes n01 and n02 (cluster/train.sbatch): TensorFlow's
    SlurmClusterResolver makes the cluster from it, on ports of the job's own."""
    monkeypatch.delenv("TF_CONFIG", raising=False)
    for name, value in {"SLURM_JOB_ID": "123", "SLURM_PROCID": "1", "SLURM_STEP_NUM_TASKS": "2",
                        "SLURM_STEP_NODELIST": "n[01-02]", "SLURM_STEP_TASKS_PER_NODE": "1(x2)"}.items():
        monkeypatch.setenv(name, value)
    resolver = devices.slurm_resolver()
    assert resolver.cluster_spec().as_dict() == {"worker": ["n01:20123", "n02:20123"]}
    assert resolver.get_task_info() == ("worker", 1)
    monkeypatch.setenv("SLURM_STEP_NUM_TASKS", "1")  # one task (python train.py inside an allocation): no cluster
    assert devices.slurm_resolver() is None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
