"""The run directory: making it, telling a finished run from an unfinished one, and the records kept in it.

A run is finished when metrics.json is there (written last, in one rename); until then unfinished.json
collects what the run has recorded so far, and history.csv keeps only the epochs its backup holds.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from pathlib import Path

from . import storage
from .errors import UserError
from .i18n import _


class RunError(UserError):
    """A run directory cannot be used as asked; the message says why and what to do."""


def new_run_dir(cfg: dict, name: str) -> Path:
    runs = Path(cfg["run"]["runs_dir"])
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        run_dir = runs / (f"{stamp}-{name}" + (f"-{attempt}" if attempt else ""))
        try:
            run_dir.mkdir(parents=True)
            return run_dir
        except FileExistsError:
            continue
        except OSError as error:
            raise RunError(_("run.runs_dir={runs!r}: cannot make a run directory in it ({reason})").format(
                runs=str(runs), reason=error.strerror or error)) from None
    raise RunError(_("run.runs_dir={runs!r}: could not create a new run directory").format(runs=str(runs)))


def make_run_dir(run_dir: Path) -> None:
    """The folder asked for with --run-dir (or an existing run's), made if it is not there."""
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RunError(_("--run-dir {run_dir}: cannot make it ({reason}); give a folder this user can write in").format(
            run_dir=run_dir, reason=error.strerror or error)) from None


def check_can_make(folder: Path, what: str) -> None:
    """Refuse at once a folder that cannot be made or written in: under a file, or where this user may not write."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise RunError(_("{what}: {existing} is a file; expected a folder (new, or one to write in)").format(
            what=what, existing=existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise RunError(_("{what}: cannot write in {existing} (no permission); give a folder this user can write "
                         "in").format(what=what, existing=existing))


def is_finished(run_dir: Path) -> bool:
    """metrics.json is written last, in one rename: it is there only when every other artifact is."""
    return (run_dir / "metrics.json").exists()


def check_unfinished(run_dir: Path) -> None:
    """Refuse to train into a run directory whose run has finished: its results would be overwritten."""
    if is_finished(run_dir):
        raise RunError(_("{run_dir}: this run already finished; start a new run instead of overwriting it").format(
            run_dir=run_dir))


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


def write_metrics(run_dir: Path, updates: dict) -> dict:
    """Merge `updates` into run_dir/metrics.json, keeping what earlier commands wrote there."""
    path = run_dir / "metrics.json"
    metrics = json.loads(path.read_text()) if path.exists() else {}
    metrics.update(updates)
    storage.write_json(path, metrics)
    return metrics
