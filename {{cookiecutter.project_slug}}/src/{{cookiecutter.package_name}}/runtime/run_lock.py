"""One writer per run directory: a lock that the process training a run holds for as long as it lives.

Two processes writing one run would interleave its history, its backups and its metrics (a compare killed
while its run went on, then `compare --resume`; two `--resume` of one run in two terminals). The lock is the
operating system's own (fcntl on Linux and macOS, msvcrt on Windows) on the file .writer.lock in the run
directory: the system lets it go when the process ends, however it ends, a kill included, so it is never
left behind. The file also says who holds it: process id, host and since when.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from pathlib import Path

from .i18n import _
from .run_files import RunError, check_unfinished

LOCK_FILE = ".writer.lock"
_held: dict[Path, object] = {}  # run directory -> its open lock file: closing it would let the lock go

try:
    import fcntl

    def _try_lock(handle) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # the first byte; the note after it stays readable
            return True
        except OSError:
            return False


def _holder(path: Path) -> str:
    try:
        return path.read_bytes()[1:].decode("utf-8", "replace").strip() or _("another process")
    except OSError:
        return _("another process")


def hold(run_dir: Path) -> None:
    """Take the run's lock until this process ends or lets it go (release), or refuse with who holds it; refuse
    too if the process that held it before has finished the run."""
    if run_dir.resolve() in _held:
        return
    path = run_dir / LOCK_FILE
    handle = path.open("a+b")  # made if missing, never emptied before the lock is ours
    if not _try_lock(handle):
        handle.close()
        raise busy(run_dir, _holder(path))
    handle.truncate(0)
    note = _("process {pid} on {host} since {since:%Y-%m-%d %H:%M:%S}").format(
        pid=os.getpid(), host=socket.gethostname(), since=datetime.now())
    handle.write(f"\n{note}\n".encode())  # after the first byte, which Windows locks
    handle.flush()
    _held[run_dir.resolve()] = handle  # before the check: a refusal lets it go too (release)
    check_unfinished(run_dir)


def release(run_dir: Path) -> None:
    """Let the lock go: this process has finished writing the run (or given up on it)."""
    handle = _held.pop(run_dir.resolve(), None)
    if handle is not None:
        handle.close()


def holder(run_dir: Path) -> str | None:
    """Who is writing the run now, or None: the lock taken and let go at once."""
    path = run_dir / LOCK_FILE
    if not path.exists():
        return None
    with path.open("a+b") as handle:
        if _try_lock(handle):
            return None  # closing the file lets the lock go
    return _holder(path)


def busy(run_dir: Path, who: str) -> RunError:
    return RunError(_("{run_dir}: is being trained by {who}; one run has one writer: wait for that process to end (or "
                      "stop it), then python train.py --resume {run_dir}").format(run_dir=run_dir, who=who))
