"""Past one process: the workers of a multi-worker run, started by Ray or found in a Slurm job step.

    python train.py launch --workers 2 [key=value ...]           two Ray workers on this machine
    python train.py launch --workers 8 --address HOST:6379 ...   eight on a running Ray cluster
    python train.py launch --workers 2 --resume runs/<run>       continue an interrupted launched run
    sbatch cluster/train.sbatch [key=value ...]                  one Slurm task per worker (srun)

However they start, the workers run the project's normal training path (training.train) under
MultiWorkerMirroredStrategy, with the same lesson and config and the same run directory: worker 0, the chief,
writes the run's files; every worker restores the chief's backup, so an interrupted run resumes for
all of them from the same epoch. The run directory must therefore be on storage that every machine
sees (a shared home folder, a network volume), and the project at the same path on each.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from . import i18n
from .errors import UserError
from .i18n import _
from .quiet import import_tensorflow_quietly

INSTALL = "pip install -e '.[cluster]'"
SOURCE = Path(__file__).resolve().parents[2]  # src/: what a Ray worker must import the package from
RAY_MARKER = ".validate_storage_marker"  # what Ray writes to check that every worker sees the run directory




def launch(lesson, cfg: dict, run_dir: Path | None, workers: int, address: str | None, use_gpu: bool) -> Path:
    """Train `cfg` on `workers` Ray workers through Ray Train's TensorflowTrainer, which sets TF_CONFIG for each,
    into `run_dir` (None: a new one); return the run directory. No address: a Ray cluster on this machine for
    the length of the run."""
    try:
        import ray
        from ray.train import FailureConfig, RunConfig, ScalingConfig, TrainingFailedError
        from ray.train.tensorflow import TensorflowTrainer
    except ImportError:
        raise UserError(_("launch: needs Ray Train, an optional part of this project: {install}").format(
            install=INSTALL)) from None
    from .run_files import new_run_dir

    new, runs_existed = run_dir is None, Path(cfg["run"]["runs_dir"]).exists()
    run_dir = (new_run_dir(cfg, lesson.name) if new else run_dir).resolve()

    environment = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")])),
        # quiet.py set it to 3 for a quiet start, unless --verbose: the workers start as the command did.
        "TF_CPP_MIN_LOG_LEVEL": os.environ.get("TF_CPP_MIN_LOG_LEVEL", "0"),
        "RAY_TRAIN_ENABLE_PRINT_PATCH": "0",  # a worker's print() straight to its output, not also to a logger
        i18n.ENVIRONMENT: i18n.current,  # the workers print in the command's language
    }
    if address is None:  # as many CPUs as workers even on a smaller machine: they share its cores
        ray.init(num_cpus=max(os.cpu_count() or 1, workers), runtime_env={"env_vars": environment},
                 logging_level=logging.WARNING)
    else:
        ray.init(address=address, runtime_env={"env_vars": environment}, logging_level=logging.WARNING)
    trainer = TensorflowTrainer(
        train_worker,
        train_loop_config={"lesson": lesson, "config": cfg, "run_dir": str(run_dir), "cwd": os.getcwd()},
        scaling_config=ScalingConfig(num_workers=workers, use_gpu=use_gpu),
        # Ray's own record of the run (a marker file) goes into the run directory: it is the storage all workers see.
        run_config=RunConfig(name=run_dir.name, storage_path=str(run_dir.parent),
                             failure_config=FailureConfig(max_failures=0)),
    )
    try:
        trainer.fit()
        (run_dir / RAY_MARKER).unlink(missing_ok=True)  # the run directory holds what a run without Ray holds
    except KeyboardInterrupt:
        raise LaunchFailed(_("launch: interrupted; what the run finished is kept in {run_dir}: continue it with "
                             "python train.py launch --workers {workers} --resume {run_dir}").format(
                                 run_dir=run_dir, workers=workers)) from None
    except TrainingFailedError as error:
        failures = getattr(error, "worker_failures", {})
        refused = [failure for failure in failures.values() if isinstance(failure, UserError)]
        if refused:  # a setting or a data file the workers could not use: the same message as without Ray
            if new and all(path.name == RAY_MARKER for path in run_dir.iterdir()):
                shutil.rmtree(run_dir)  # refused before anything of the run was written: nothing is left
                if not runs_existed:
                    run_dir.parent.rmdir()
            raise refused[0] from None
        reason = "; ".join(_("worker {rank}: {error}: {message}").format(
            rank=rank, error=type(failure).__name__, message=(str(failure).splitlines() or [""])[0])
            for rank, failure in sorted(failures.items())) or str(error).splitlines()[0]
        raise LaunchFailed(_("launch: the run stopped ({reason}); what it finished is kept in {run_dir}: continue it "
                             "with python train.py launch --workers {workers} --resume {run_dir}").format(
                                 reason=reason, run_dir=run_dir, workers=workers)) from None
    finally:
        ray.shutdown()
    return run_dir


class LaunchFailed(RuntimeError):
    """A worker died or failed: the run is unfinished, and its backup is there to resume."""


def train_worker(config: dict) -> None:
    """One Ray worker (Ray has set TF_CONFIG): from here on, the project's normal training path."""
    os.chdir(config["cwd"])  # a relative path in the config means the same file on every worker
    os.environ.pop("TF_USE_LEGACY_KERAS", None)  # Ray asks TensorFlow for Keras 2; this project is Keras 3
    i18n.use(os.environ.get(i18n.ENVIRONMENT, "en"))
    if os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3":  # the command started quietly (quiet.py)
        import_tensorflow_quietly()
    logging.getLogger("tensorflow").setLevel(logging.WARNING)  # each worker's strategy would announce itself
    from . import training

    training.train(config["lesson"], config["config"], Path(config["run_dir"]))
