"""How a run is compiled on the machine it runs on: in which precision, with XLA or without, and how many steps per
compiled call.

`training.mixed_precision: auto` computes in bfloat16 (weights, optimizer and loss stay float32) where the CPU has
bfloat16 instructions (Intel's AMX or AVX-512 BF16) and a few steps measured both ways find it clearly faster:
convolutions there run 1.7-2x faster in bfloat16 (AlexNet and the DCGAN on an Intel Xeon with AMX). bfloat16 keeps
float32's range, so unlike float16 it needs no loss scaling; it keeps 8 bits of mantissa (2-3 digits), which
training tolerates and each network's float32 output layer keeps out of its answers. Elsewhere auto is float32.

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
from .i18n import _

# Steps timed each way (at least two compiled calls), and how many times, alternating: the fastest time counts, so
# that a moment when the machine is busy elsewhere does not decide. Fewer for the precision, which is measured on
# the large networks that ask for it (AlexNet: over a second a step on 2 cores).
MEASURED_STEPS, PRECISION_STEPS, TIMINGS = 16, 8, 3
# training.mixed_precision: the Keras dtype policy of each answer.
POLICIES = {False: "float32", True: "mixed_float16", "bfloat16": "mixed_bfloat16"}
BFLOAT16_FLAGS = ("amx_bf16", "avx512_bf16")  # /proc/cpuinfo's names of the bfloat16 instructions
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
    policy = keras.mixed_precision.global_policy().name
    entry = measured_once(path, cache_key(lesson, cfg, datasets, f"{steps_per_call} steps per call, {policy}"),
                          lambda: measure(lesson, cfg, datasets, steps_per_call), {"xla": True, "no_xla": False})
    if entry is None:  # a layer cannot be compiled: Keras says so itself
        return "auto", None
    return entry["xla"] > CLEARLY_FASTER * entry["no_xla"], _(
        "training.jit_compile: auto, and measured on this machine (no GPU; on {date}, in {seconds} s: {xla:,.0f} "
        "examples/s with XLA against {no_xla:,.0f} without, on where a tenth faster; kept in {path})").format(
            date=entry.get("measured"), seconds=entry.get("seconds"), xla=entry["xla"], no_xla=entry["no_xla"],
            path=path)


def decide_precision(lesson, cfg: dict, datasets, strategy) -> tuple[str, str]:
    """The Keras dtype policy the run's layers compute in, and why: training.mixed_precision as given, or for auto
    float32 unless this CPU has bfloat16 instructions and a measurement finds them a tenth faster."""
    asked = cfg["training"]["mixed_precision"]
    setting = f"training.mixed_precision: {str(asked).lower()}"
    if asked != "auto":
        return POLICIES[asked], setting
    if tf.config.list_physical_devices("GPU"):
        return "float32", _("{setting}, and float16 on a GPU is chosen by hand (true), not measured: float32").format(
            setting=setting)
    if not any(flag in cpu_flags() for flag in BFLOAT16_FLAGS):
        return "float32", _("{setting}, and this CPU has no bfloat16 instructions (AMX or AVX-512 BF16): "
                            "float32").format(setting=setting)
    if strategy is not tf.distribute.get_strategy() or cfg["training"]["deterministic"]:
        return "float32", _("{setting}, and a run on several devices or a deterministic one is not measured: "
                            "float32").format(setting=setting)
    path = cache_path()
    entry = measured_once(path, cache_key(lesson, cfg, datasets, "precision"),
                          lambda: measure(lesson, cfg, datasets, 1, PRECISION_STEPS, variants={
                              "bfloat16": ("mixed_bfloat16", False), "float32": ("float32", False)}),
                          {"bfloat16": "bfloat16", "float32": "float32"})
    faster = entry["bfloat16"] > CLEARLY_FASTER * entry["float32"]
    return "mixed_bfloat16" if faster else "float32", _(
        "{setting}, and measured on this machine (a CPU with bfloat16 instructions; on {date}, in {seconds} s: "
        "{bfloat16:,.0f} examples/s in bfloat16 against {float32:,.0f} in float32, bfloat16 where a tenth faster; "
        "kept in {path})").format(setting=setting, date=entry.get("measured"), seconds=entry.get("seconds"),
                                  bfloat16=entry["bfloat16"], float32=entry["float32"], path=path)


def cache_key(lesson, cfg: dict, datasets, what: str) -> str:
    """A measurement holds for this network, its input, this machine and these versions."""
    return " | ".join([lesson.name, json.dumps(cfg["model"], sort_keys=True), str(datasets.train.element_spec),
                       what, cpu_name(), f"TensorFlow {tf.__version__}", f"Keras {keras.__version__}"])


def measured_once(path: Path, key: str, measure_now, names: dict) -> dict | None:
    """The cached measurement under `key`, or a new one (`measure_now()`: speeds by variant, None where nothing
    could be measured), kept for the next run. `names`: the cache's name for each variant."""
    entry = read_cache(path).get(key)
    if isinstance(entry, dict) and all(isinstance(entry.get(name), (int, float)) for name in names):
        return entry
    started = time.perf_counter()
    speeds = measure_now()
    if speeds is None:
        return None
    entry = {name: round(speeds[variant], 1) for name, variant in names.items()}
    entry.update(measured=time.strftime("%Y-%m-%d"), seconds=round(time.perf_counter() - started, 1))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        storage.write_json(path, {**read_cache(path), key: entry})  # read again: another run may have written
    except OSError:  # a read-only home: measured again next time
        pass
    return entry


def jit_compile_reason(cfg: dict, model: keras.Model, replicas: int) -> str:
    """Why the compiled model trains with XLA or without: what was asked, and what Keras made of it on this
    machine (it resolves auto, and turns XLA off where a layer cannot be compiled)."""
    asked, used = cfg["training"]["jit_compile"], bool(model.jit_compile)
    setting = f"training.jit_compile: {str(asked).lower()}"
    cannot = ", ".join(layer.name for layer in model._flatten_layers(include_self=False) if not layer.supports_jit)
    if asked is False:
        return setting
    if cfg["training"]["deterministic"] and not used:
        return _("training.deterministic: true (Keras compiles no deterministic step with XLA)")
    if asked is True:
        if used:
            return setting
        if replicas > 1 and not tf.config.list_physical_devices("GPU"):
            return _("{setting}, but XLA cannot compile a step whose variables live on several CPU "
                     "devices").format(setting=setting)
        return _("{setting}, but Keras cannot compile these layers with XLA: {layers}").format(setting=setting,
                                                                                              layers=cannot)
    if cannot:
        return _("{setting}, and Keras cannot compile these layers with XLA: {layers}").format(setting=setting,
                                                                                              layers=cannot)
    if not tf.config.list_physical_devices("GPU"):
        return _("{setting}, and Keras uses XLA only where there is a GPU: none here").format(setting=setting)
    if not used:
        return _("{setting}, and Keras uses no XLA under a distribution strategy").format(setting=setting)
    return _("{setting}: a GPU, and Keras can compile every layer").format(setting=setting)


def steps_per_execution(cfg: dict, replicas: int) -> tuple[int, str]:
    """training.steps_per_execution where Keras can run it, and why: it runs an epoch capped at
    training.steps_per_epoch in whole compiled calls (2 steps asked, 4 per call: 4 run), so the cap must be a
    multiple; and its multi-step loop fails across several devices (MirroredStrategy over CPU devices, TensorFlow
    2.21) and in our multi-worker loop."""
    steps, cap = cfg["training"]["steps_per_execution"], cfg["training"]["steps_per_epoch"]
    setting = f"training.steps_per_execution: {steps}"
    if steps > 1 and (replicas > 1 or cfg["distribute"]["strategy"] == "multi_worker"):
        return 1, _("{setting}, but Keras runs one step per call across several devices or workers").format(
            setting=setting)
    if cap and cap % steps:
        return math.gcd(steps, cap), _("{setting}, but training.steps_per_epoch: {cap} must be a multiple of "
                                       "it").format(setting=setting, cap=cap)
    return steps, setting


def measure(lesson, cfg: dict, datasets, steps_per_call: int, steps: int = MEASURED_STEPS,
            variants: dict | None = None) -> dict | None:
    """Training examples per second of each variant (name: (dtype policy, jit_compile)), by default with XLA
    (True) and without (False) in the current policy, on the run's first batches, each network compiled once and
    then timed TIMINGS times, alternating; None where Keras cannot compile the network with XLA. The run's random
    state (Python's, NumPy's, Keras's layer names) and dtype policy are as they were before, so the run trains
    exactly as it would have without the measurement."""
    policy = keras.mixed_precision.global_policy().name
    variants = variants or {True: (policy, True), False: (policy, False)}
    state = random.getstate(), np.random.get_state(), dict(global_state.get_global_attribute("object_name_uids") or {})
    try:
        batches = datasets.train.take(steps_per_call * math.ceil(steps / steps_per_call))
        networks = {}
        for name, (variant_policy, jit) in variants.items():
            keras.mixed_precision.set_dtype_policy(variant_policy)
            network = lesson.model(cfg, **datasets.adapted)
            lesson.compile(network, optimizer=make_optimizer(cfg), jit_compile=jit, steps_per_execution=steps_per_call)
            if jit and not network.jit_compile:
                return None
            network.fit(batches, epochs=1, verbose=0, shuffle=False)  # traced and compiled here, not timed
            networks[name] = network
        examples = sum(int(tf.shape(tf.nest.flatten(batch)[0])[0]) for batch in batches)
        speeds = dict.fromkeys(networks, 0.0)
        for _ in range(TIMINGS):
            for name, network in networks.items():
                started = time.perf_counter()
                network.fit(batches, epochs=1, verbose=0, shuffle=False)
                speeds[name] = max(speeds[name], examples / (time.perf_counter() - started))
        return speeds
    finally:
        keras.mixed_precision.set_dtype_policy(policy)
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


def cpu_flags() -> set[str]:
    """The CPU's instruction sets as /proc/cpuinfo names them; none known elsewhere (not Linux)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} x{os.cpu_count()}"
    except OSError:
        pass
    return f"{platform.processor() or platform.machine()} x{os.cpu_count()}"
