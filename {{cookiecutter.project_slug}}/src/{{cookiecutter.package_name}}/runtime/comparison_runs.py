"""A comparison's runs, each `python train.py` in a process of its own, one per slot at a time (comparison.py
plans them and sums them up). A run's process dies with the comparison's, where the system allows it, and
a comparison is resumed only while none of its runs is still being trained by an earlier one (run_lock.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import run_lock
from .errors import UserError
from .i18n import _

TRAIN_PY = Path(__file__).resolve().parents[3] / "train.py"


def available_slots(parallel: int) -> list[dict]:
    """The environment of each process slot: one GPU each where there are GPUs, else the CPU shared."""
    if parallel == 1:
        return [{}]
    import tensorflow as tf

    gpus, cores = len(tf.config.list_physical_devices("GPU")), os.cpu_count()
    if gpus and parallel > gpus:
        raise UserError(_("--parallel: got {parallel}; this machine has {gpus} GPUs, so at most {limit}").format(
            parallel=parallel, gpus=gpus, limit=gpus))
    if not gpus and parallel > (cores or 1):
        raise UserError(_("--parallel: got {parallel}; this machine has {cores} CPU cores and no GPU, so at most "
                          "{limit}").format(parallel=parallel, cores=cores, limit=cores or 1))
    return [{"CUDA_VISIBLE_DEVICES": str(slot)} if gpus else {} for slot in range(parallel)]


def run_all(folder: Path, steps: dict, slots: list[dict], new: bool) -> None:
    """Train every run that has not finished, one per slot at a time (available_slots); stop when one fails.
    new: the comparison was made for this command, so a refusal of its first run takes the folder away again."""
    todo = [run for run in steps["runs"] if not (folder / run["dir"] / "metrics.json").exists()]
    print(_("compare: {finished} of {runs} runs already finished in {folder}").format(
        finished=len(steps["runs"]) - len(todo), runs=len(steps["runs"]), folder=folder))
    running: dict[int, tuple[subprocess.Popen, dict, object]] = {}
    failed = []
    while todo or running:
        while todo and len(running) < len(slots) and not failed:
            slot = next(index for index in range(len(slots)) if index not in running)
            run = todo.pop(0)
            run_dir = folder / run["dir"]
            resume = (run_dir / "config.yaml").exists()
            args = (["--resume", str(run_dir)] if resume else
                    ["--config", str(folder / "config.yaml"), "--run-dir", str(run_dir), *run["overrides"]])
            print((_("compare: resuming {run}") if resume else _("compare: starting {run}")).format(run=run["dir"]),
                  flush=True)
            log = None
            if len(slots) > 1:  # runs side by side: each writes its own log
                (folder / "logs").mkdir(exist_ok=True)
                log = (folder / "logs" / f"{run['dir']}.txt").open("a", encoding="utf-8")
            process = subprocess.Popen([sys.executable, str(TRAIN_PY), *args], env={**os.environ, **slots[slot]},
                                       stdout=log, stderr=subprocess.STDOUT if log else None,
                                       preexec_fn=_die_with_parent if sys.platform == "linux" else None)
            running[slot] = process, run, log
        try:
            process, run = _next_finished(running)
        except KeyboardInterrupt:  # Ctrl-C reaches the runs too; each keeps its last backup
            for other, _run, _log in running.values():
                other.wait()
            raise UserError(_("compare: interrupted; continue with python train.py compare --resume {folder}").format(
                folder=folder)) from None
        if new and process.returncode == 2 and not running and \
                not any((folder / each["dir"]).exists() for each in steps["runs"]):
            # The first run was refused before it made anything (its error is above): so is the comparison.
            shutil.rmtree(folder)
            raise UserError(_("compare: {run} was refused (see above); nothing was kept").format(run=run["dir"]))
        if process.returncode != 0:
            failed.append(_("{run} (exit status {status})").format(run=run["dir"], status=process.returncode))
        else:
            print(_("compare: finished {run}").format(run=run["dir"]), flush=True)
        if failed:
            todo.clear()
    if failed:
        raise UserError(_("compare: run {runs} failed; the others are kept. Fix the cause, then "
                          "python train.py compare --resume {folder}").format(runs=", ".join(failed), folder=folder))


def _die_with_parent() -> None:
    """In the child, before train.py starts: Linux sends it SIGKILL when this process dies, a kill included, so that
    no run goes on training unseen. Elsewhere a run outlives a killed compare; its lock (run_lock.py) keeps
    `compare --resume` from starting a second writer while it runs."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG


def check_none_running(folder: Path, steps: dict) -> None:
    """Refuse to resume a comparison while any of its runs is being trained (by a compare killed before it)."""
    held = [f"{run['dir']} ({who})" for run in steps["runs"] if (who := run_lock.holder(folder / run["dir"]))]
    if held:
        raise UserError(_("compare --resume {folder}: {runs} still training; one run has one writer: wait for it "
                          "to end (or stop it), then resume").format(folder=folder, runs=", ".join(held)))


def _next_finished(running: dict) -> tuple[subprocess.Popen, dict]:
    """Wait until one of the running processes ends; take it out of `running`."""
    while True:
        for slot, (process, run, log) in list(running.items()):
            if process.poll() is not None:
                del running[slot]
                if log:
                    log.close()
                return process, run
        time.sleep(0.2)
