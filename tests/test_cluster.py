"""Past one process, as a learner takes a project there: two Ray workers through `train.py launch` (one of them
killed, the run relaunched), the Slurm batch script on two tasks (srun stood in for, the GAN learning), and the
Kubernetes example. The first two start a Ray cluster or two TensorFlow processes each: `make test-cluster`."""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import yaml

from .conftest import BIN, QUIET_TF, run
from .test_generated import RUN_ARTIFACTS, history_epochs, small_model

# Two epochs of 60 steps on synthetic digits: long enough (a few seconds an epoch) to kill a worker mid-epoch.
LAUNCH = ["data.source=synthetic", "data.synthetic_examples=1024", "training.epochs=2", "training.batch_size=32",
          "training.steps_per_epoch=60", "training.early_stopping_patience=0", "run.backup_interval_seconds=0",
          "run.runs_dir=runs"]

# What Slurm's srun gives each task of a job step, for a step of $SLURM_NTASKS tasks on this machine.
FAKE_SRUN = """#!/bin/bash
# Stands in for Slurm's srun: the command once per task, each with the environment srun would give it.
status=0
pids=""
for rank in $(seq 0 $((SLURM_NTASKS - 1))); do
    SLURM_PROCID=$rank SLURM_STEP_NUM_TASKS=$SLURM_NTASKS SLURM_STEP_NODELIST=localhost \\
        SLURM_STEP_TASKS_PER_NODE=$SLURM_NTASKS "$@" > "task-$rank.log" 2>&1 &
    pids="$pids $!"
done
for pid in $pids; do wait "$pid" || status=1; done
exit $status
"""


def ray_workers(process: subprocess.Popen) -> list[psutil.Process]:
    """The Ray Train worker processes of a local Ray cluster that `process` started."""
    return [child for child in psutil.Process(process.pid).children(recursive=True)
            if child.cmdline()[:1] == ["ray::RayTrainWorker"]]


@pytest.mark.cluster
def test_launch_trains_on_two_ray_workers_and_a_killed_worker_resumes_from_the_backup(bake):
    project = bake(architecture="mnist_mlp")
    launch = [sys.executable, "train.py", "launch", "--workers", "2"]
    process = subprocess.Popen([*launch, *LAUNCH], cwd=project, env={**os.environ, **QUIET_TF}, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # The chief's backup holds epoch 1: now one worker dies in the middle of epoch 2.
    deadline = time.monotonic() + 300
    records = []
    while time.monotonic() < deadline and process.poll() is None:
        records = list((project / "runs").glob("*/backup/training_metadata.json"))
        if records and json.loads(records[0].read_text())["epoch"] == 1:
            break
        time.sleep(0.1)
    assert records, process.communicate()[0][-3000:]
    run_dir = records[0].parents[1]
    workers = ray_workers(process)
    assert len(workers) == 2
    before = (run_dir / "history.csv").read_bytes()
    workers[1].kill()
    output = process.communicate(timeout=300)[0]
    assert process.returncode == 1, output[-3000:]
    assert f"continue it with python train.py launch --workers 2 --resume {run_dir}" in output
    assert not (run_dir / "metrics.json").exists()

    resumed = run([*launch, "--resume", str(run_dir)], cwd=project, timeout=600)
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    assert "epoch 1/2" not in resumed.stdout and "epoch 2/2" in resumed.stdout, "resumed at the second epoch"
    assert history_epochs(run_dir) == [0, 1]
    assert (run_dir / "history.csv").read_bytes().startswith(before), "the first epoch's row is kept as it was"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["strategy"] == {"name": "CollectiveAllReduceStrategy", "replicas": 2, "global_batch_size": 64,
                                   "workers": 2, "cluster_resolver": "TFConfigClusterResolver"}
    assert metrics["epochs_completed"] == 2
    names = {path.name for path in run_dir.iterdir()}
    assert RUN_ARTIFACTS <= names
    assert not names & {"backup", "worker-1", ".validate_storage_marker"}, names


def test_launch_without_ray_says_how_to_install_it(bake, tmp_path):
    """A project's own environment has no Ray unless its extra is installed: launch says which command adds it."""
    project = bake(architecture="mnist_mlp")
    hide_ray = tmp_path / "no_ray"
    hide_ray.mkdir()
    (hide_ray / "ray.py").write_text("raise ImportError('not installed')\n")
    result = run([sys.executable, "train.py", "launch", "--workers", "2", "data.source=synthetic"], cwd=project,
                 env={"PYTHONPATH": str(hide_ray)})
    assert result.returncode == 2
    assert result.stderr.strip() == "error: launch: needs Ray Train, an optional part of this project: " \
                                    "pip install -e '.[cluster]'"
    assert not (project / "runs").exists()


def free_job_id() -> int:
    """A Slurm job id whose two worker ports (cluster.py: 20000 + id % 20000, and the next) are free here."""
    for job in range(os.getpid() % 19_000, 20_000):
        with socket.socket() as first, socket.socket() as second:
            try:
                first.bind(("127.0.0.1", 20_000 + job))
                second.bind(("127.0.0.1", 20_001 + job))
                return job
            except OSError:
                continue
    raise AssertionError("no two free ports")


@pytest.mark.cluster
def test_the_sbatch_script_trains_the_gan_on_two_slurm_tasks_and_its_frechet_distance_falls(bake, tmp_path):
    """cluster/train.sbatch as Slurm runs it (bash, with srun starting two tasks): each task is a plain train.py
    that builds the cluster with TensorFlow's SlurmClusterResolver. Eight short epochs of the GAN on two workers,
    with its quality classifier: long enough for the Fréchet distance to fall by a third (measured: 537 to 275)."""
    project = bake(architecture="dcgan")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "srun").write_text(FAKE_SRUN)
    (fake / "srun").chmod(0o755)
    job = free_job_id()
    overrides = ["data.source=synthetic", "data.synthetic_examples=1024", "training.epochs=8",
                 "training.early_stopping_patience=0", *small_model(project), "quality.classifier_epochs=3"]
    environment = {"SLURM_JOB_ID": str(job), "SLURM_NTASKS": "2", "SLURM_SUBMIT_DIR": str(project),
                   "PATH": f"{fake}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}"}
    result = run(["bash", "cluster/train.sbatch", *overrides], cwd=project, env=environment, timeout=900)
    logs = "\n".join((project / f"task-{rank}.log").read_text()[-2000:] for rank in (0, 1))
    assert result.returncode == 0, logs
    run_dir = project / "runs" / f"slurm-{job}"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["strategy"] == {"name": "CollectiveAllReduceStrategy", "replicas": 2, "global_batch_size": 32,
                                   "workers": 2, "cluster_resolver": "SlurmClusterResolver"}
    distances = [float(row) for row in _column(run_dir / "history.csv", "frechet_distance")]
    assert len(distances) == 8 and distances[-1] < 0.75 * distances[0], distances
    assert not list(run_dir.glob("worker-*"))


def _column(path: Path, name: str) -> list[str]:
    with path.open(newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]


def test_the_kubernetes_example_is_a_tfjob_the_training_operator_accepts(bake):
    """cluster/tfjob.yaml: valid YAML with what the Kubeflow training operator requires of a TFJob (its kind and
    API version, a name, replica specs of known types, each with a pod template whose container is named
    `tensorflow`), running the project's own train.py into a run directory on the shared volume."""
    project = bake(architecture="lenet5", project_name="LeNet on Kube")
    job = yaml.safe_load((project / "cluster" / "tfjob.yaml").read_text())
    assert (job["apiVersion"], job["kind"], job["metadata"]["name"]) == ("kubeflow.org/v1", "TFJob", "lenet-on-kube")
    specs = job["spec"]["tfReplicaSpecs"]
    assert set(specs) <= {"Chief", "Worker", "PS", "Evaluator"} and specs["Worker"]["replicas"] >= 2
    assert specs["Worker"]["restartPolicy"] in {"Always", "OnFailure", "Never", "ExitCode"}
    pod = specs["Worker"]["template"]["spec"]
    (container,) = [c for c in pod["containers"] if c["name"] == "tensorflow"]
    command = container["command"]
    assert command[:2] == ["python", "train.py"] and "distribute.strategy=multi_worker" in command
    run_dir = command[command.index("--run-dir") + 1]
    (mount,) = container["volumeMounts"]
    assert run_dir.startswith(mount["mountPath"] + "/")
    assert {volume["name"] for volume in pod["volumes"]} == {mount["name"]}
