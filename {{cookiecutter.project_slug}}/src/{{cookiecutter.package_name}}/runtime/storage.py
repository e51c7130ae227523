"""Writing a run's files so that a kill at any instant leaves either the old file or the new one.

A file is written under a temporary name beside its final one, flushed to disk, and renamed into
place; a rename within one folder is atomic, so a reader never sees half a file. Standard library
only: config.py uses it too.

`crash_point(name)` is how the tests cut the power at an exact moment: with the environment
variable KERAS_CLASSICS_CRASH_AT=name set, the process kills itself there with SIGKILL (no
cleanup runs, as in a power cut). Without it, crash points do nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
from collections.abc import Callable
from pathlib import Path

CRASH_ENV = "KERAS_CLASSICS_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def partial_path(path: Path) -> Path:
    """Where `path` is written before it is renamed into place: model.keras -> .model.partial.keras.

    The endings are kept because Keras and matplotlib choose the format by them (.keras, .weights.h5, .png).
    """
    stem, dot, endings = path.name.partition(".")
    return path.with_name(f".{stem}.partial{dot}{endings}")


def write_atomically(path: str | Path, write: Callable[[Path], object]) -> None:
    """Call write(temporary_path), then put the result at `path` in one rename."""
    path = Path(path)
    partial = partial_path(path)
    write(partial)
    with open(partial, "rb+") as handle:  # on disk before the rename, so a power cut cannot undo it
        os.fsync(handle.fileno())
    crash_point(f"writing-{path.name}")
    os.replace(partial, path)


def write_text(path: str | Path, text: str) -> None:
    write_atomically(path, lambda partial: partial.write_text(text, encoding="utf-8"))


def write_json(path: str | Path, value) -> None:
    write_text(path, json.dumps(value, indent=2) + "\n")


def write_csv(path: str | Path, rows: list[dict]) -> None:
    """Rows with the same keys as a CSV file with a header, as csv.DictReader reads them back."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buffer.getvalue())
