"""How a run is compiled on the machine it runs on: with XLA or without, and how many steps per compiled call.

`training.jit_compile: auto` starts from Keras's own answer: XLA on with a GPU, off under a distribution
strategy or where a layer cannot be compiled, and off on a machine without a GPU. On a CPU alone XLA makes
some of these networks faster (a dense net, by 10-30 % on an Intel Xeon with AVX-512) and others much
slower (LeNet-5's convolutions, 2.7x), so there the run measures a few steps both ways, before it trains, and
turns XLA on where it is clearly (a tenth) faster. The answer is kept per machine, network and version in
the user's cache folder, so only the first run of a network on a machine pays for the measurement: 5-15 s
for the MNIST networks on 2 cores. A lesson whose network XLA compiles slowly (a recurrent loop: about a
minute) says `measure_xla = False` and keeps Keras's answer.
"""

from __future__ import annotations

import collections
import json
import math
import os
import platform
import random
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras.src.backend.common import global_state

from . import storage
from .devices import make_optimizer

# Steps timed each way (at least two compiled calls), and how many times, alternating: the fastest time counts, so
# that a moment when the machine is busy elsewhere does not decide.
MEASURED_STEPS, TIMINGS = 16, 3
# XLA replaces Keras's answer (off) only where it is clearly faster: a closer call is within what timing a few
# steps can tell apart on a busy machine.
CLEARLY_FASTER = 1.1


def jit_compile_asked(cfg: dict, replicas: int) -> bool | str:
    """What `compile` gets for training.jit_compile when nothing is measured: auto (Keras decides), true or false.
    XLA cannot compile a step whose variables live on several CPU devices (on GPUs it can), so true is off there."""
    asked = cfg["training"]["jit_compile"]
    if asked is True and replicas > 1 and not tf.config.list_physical_devices("GPU"):
        return False
    return asked


def decide(lesson, cfg: dict, datasets, strategy, steps_per_call: int) -> tuple[bool | str, str | None]:
    """What `compile` gets for jit_compile, and why where it was measured (None: Keras resolves it, and
    jit_compile_reason says why). Measured only where Keras's answer is off for want of a GPU alone."""
    asked = jit_compile_asked(cfg, strategy.num_replicas_in_sync)
    if (asked != "auto" or not lesson.measure_xla or strategy is not tf.distribute.get_strategy()
            or cfg["training"]["deterministic"] or tf.config.list_physical_devices("GPU")):
        return asked, None
    path = cache_path()
    key = " | ".join([lesson.name, json.dumps(cfg["model"], sort_keys=True), str(datasets.train.element_spec),
                      f"{steps_per_call} steps per call", cpu_name(), f"TensorFlow {tf.__version__}",
                      f"Keras {keras.__version__}"])
    entry = read_cache(path).get(key)
    if not (isinstance(entry, dict) and all(isinstance(entry.get(name), (int, float)) for name in ("xla", "no_xla"))):
        started = time.perf_counter()
        speeds = measure(lesson, cfg, datasets, steps_per_call)
        if speeds is None:  # a layer cannot be compiled: Keras says so itself
            return "auto", None
        entry = {"xla": round(speeds[True], 1), "no_xla": round(speeds[False], 1),
                 "measured": time.strftime("%Y-%m-%d"), "seconds": round(time.perf_counter() - started, 1)}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            storage.write_json(path, {**read_cache(path), key: entry})  # read again: another run may have written
        except OSError:  # a read-only home: measured again next time
            pass
    return entry["xla"] > CLEARLY_FASTER * entry["no_xla"], (
        f"training.jit_compile: auto, and measured on this machine (no GPU; on {entry.get('measured')}, in "
        f"{entry.get('seconds')} s: {entry['xla']:,.0f} examples/s with XLA against {entry['no_xla']:,.0f} without, "
        f"on where a tenth faster; kept in {path})")


def jit_compile_reason(cfg: dict, model: keras.Model, replicas: int) -> str:
    """Why the compiled model trains with XLA or without: what was asked, and what Keras made of it on this
    machine (it resolves auto, and turns XLA off where a layer cannot be compiled)."""
    asked, used = cfg["training"]["jit_compile"], bool(model.jit_compile)
    setting = f"training.jit_compile: {str(asked).lower()}"
    cannot = ", ".join(layer.name for layer in model._flatten_layers(include_self=False) if not layer.supports_jit)
    if asked is False:
        return setting
    if cfg["training"]["deterministic"] and not used:
        return "training.deterministic: true (Keras compiles no deterministic step with XLA)"
    if asked is True:
        if used:
            return setting
        if replicas > 1 and not tf.config.list_physical_devices("GPU"):
            return f"{setting}, but XLA cannot compile a step whose variables live on several CPU devices"
        return f"{setting}, but Keras cannot compile these layers with XLA: {cannot}"
    if cannot:
        return f"{setting}, and Keras cannot compile these layers with XLA: {cannot}"
    if not tf.config.list_physical_devices("GPU"):
        return f"{setting}, and Keras uses XLA only where there is a GPU: none here"
    if not used:
        return f"{setting}, and Keras uses no XLA under a distribution strategy"
    return f"{setting}: a GPU, and Keras can compile every layer"


def steps_per_execution(cfg: dict, replicas: int) -> tuple[int, str]:
    """training.steps_per_execution where Keras can run it, and why: it runs an epoch capped at
    training.steps_per_epoch in whole compiled calls (2 steps asked, 4 per call: 4 run), so the cap must be a
    multiple; and its multi-step loop fails across several devices (MirroredStrategy over CPU devices, TensorFlow
    2.21) and in our multi-worker loop."""
    steps, cap = cfg["training"]["steps_per_execution"], cfg["training"]["steps_per_epoch"]
    setting = f"training.steps_per_execution: {steps}"
    if steps > 1 and (replicas > 1 or cfg["distribute"]["strategy"] == "multi_worker"):
        return 1, f"{setting}, but Keras runs one step per call across several devices or workers"
    if cap and cap % steps:
        return math.gcd(steps, cap), f"{setting}, but training.steps_per_epoch: {cap} must be a multiple of it"
    return steps, setting


def measure(lesson, cfg: dict, datasets, steps_per_call: int) -> dict[bool, float] | None:
    """Training examples per second with XLA and without, on the run's first batches, each network compiled once
    and then timed TIMINGS times, alternating; None where Keras cannot compile the network with XLA. The run's random
    state (Python's, NumPy's, Keras's layer names) is as it was before, so the run trains exactly as it would
    have without the measurement."""
    state = random.getstate(), np.random.get_state(), dict(global_state.get_global_attribute("object_name_uids") or {})
    try:
        steps = steps_per_call * math.ceil(MEASURED_STEPS / steps_per_call)
        batches = datasets.train.take(steps)
        networks = {}
        for jit in (True, False):
            network = lesson.model(cfg, **datasets.adapted)
            lesson.compile(network, optimizer=make_optimizer(cfg), jit_compile=jit, steps_per_execution=steps_per_call)
            if jit and not network.jit_compile:
                return None
            network.fit(batches, epochs=1, verbose=0)  # traced and compiled here, not timed
            networks[jit] = network
        examples = sum(int(tf.shape(tf.nest.flatten(batch)[0])[0]) for batch in batches)
        speeds = {True: 0.0, False: 0.0}
        for _ in range(TIMINGS):
            for jit, network in networks.items():
                started = time.perf_counter()
                network.fit(batches, epochs=1, verbose=0)
                speeds[jit] = max(speeds[jit], examples / (time.perf_counter() - started))
        return speeds
    finally:
        random.setstate(state[0])
        np.random.set_state(state[1])
        global_state.set_global_attribute("object_name_uids", collections.defaultdict(int, state[2]))


def cache_path() -> Path:
    """Where the measurements are kept: $KERAS_CLASSICS_XLA_CHOICES, else the user's cache folder."""
    if os.environ.get("KERAS_CLASSICS_XLA_CHOICES"):
        return Path(os.environ["KERAS_CLASSICS_XLA_CHOICES"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "keras-classics" / "xla-choices.json"


def read_cache(path: Path) -> dict:
    try:
        choices = json.loads(path.read_text(encoding="utf-8"))
        return choices if isinstance(choices, dict) else {}
    except (OSError, ValueError):  # none yet, or damaged: measured again
        return {}


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} x{os.cpu_count()}"
    except OSError:
        pass
    return f"{platform.processor() or platform.machine()} x{os.cpu_count()}"
