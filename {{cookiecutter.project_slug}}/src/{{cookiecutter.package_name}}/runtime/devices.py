"""Devices and the distribution strategy of a run, and the optimizer made under it."""

from __future__ import annotations

import os
import shutil

import keras
import tensorflow as tf

from .i18n import _
from .run_files import RunError

OPTIMIZERS = {
    "sgd": lambda c: keras.optimizers.SGD(c["learning_rate"]),
    "momentum": lambda c: keras.optimizers.SGD(c["learning_rate"], momentum=c["momentum"]),
    "adagrad": lambda c: keras.optimizers.Adagrad(c["learning_rate"]),
    "rmsprop": lambda c: keras.optimizers.RMSprop(c["learning_rate"]),
    # beta_1: only a project that declares training.beta_1 (the GAN: Radford's 0.5) changes Keras's 0.9.
    "adam": lambda c: keras.optimizers.Adam(c["learning_rate"], beta_1=c.get("beta_1", 0.9)),
}


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
            raise RunError(_("distribute.strategy=multi_worker: no workers to join: start them with python train.py "
                             "launch --workers N (Ray), with srun in a Slurm job (cluster/train.sbatch), or give each "
                             "process a TF_CONFIG environment variable (see README)"))
        return tf.distribute.MultiWorkerMirroredStrategy(cluster_resolver=resolver)
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


def slurm_resolver():
    """TensorFlow's SlurmClusterResolver for a Slurm job step of two or more tasks (srun), else None.

    It reads the step's tasks, nodes and this task's rank from the environment srun sets. Each
    job's workers listen on ports of their own (from the job id), so jobs sharing a node do not meet.
    """
    if int(os.environ.get("SLURM_STEP_NUM_TASKS", "1")) < 2:
        return None
    SlurmClusterResolver = tf.distribute.cluster_resolver.SlurmClusterResolver
    port_base = 20_000 + int(os.environ.get("SLURM_JOB_ID", "0")) % 20_000
    if shutil.which("nvidia-smi"):  # the resolver counts the node's GPUs with it and gives each task its share
        return SlurmClusterResolver(port_base=port_base)
    # No GPUs: the resolver still hands out GPU numbers, one range per task, so it is given a number per task
    # and told to leave CUDA_VISIBLE_DEVICES alone (with none it would divide by zero).
    tasks = int(os.environ["SLURM_STEP_NUM_TASKS"])
    return SlurmClusterResolver(port_base=port_base, gpus_per_node=tasks, gpus_per_task=1, auto_set_gpu=False)
