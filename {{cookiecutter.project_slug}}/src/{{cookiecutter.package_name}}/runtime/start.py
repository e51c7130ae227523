"""The entry point of `python train.py` and of the project's console script: a quiet start, then the lesson.

TensorFlow's C++ core prints start-up lines before any setting of Python's can stop them (oneDNN
notices, "Could not find cuda drivers", `failed call to cuInit`): on a machine without a GPU they read
like failures. Unless the command line says `--verbose`, TensorFlow is imported here with the process's
standard error pointed at nothing, and its C++ log is limited to fatal errors from then on
(TF_CPP_MIN_LOG_LEVEL=3, inherited by `compare`'s runs). Python's own errors and warnings still show.
"""

from __future__ import annotations

import importlib
import os
import sys

VERBOSE = "--verbose"


def import_tensorflow_quietly() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved, nowhere = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(nowhere, 2)
    try:
        import tensorflow  # noqa: F401
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(nowhere)


def main(argv: list[str] | None = None) -> int:
    """Run the command line for this project's lesson (lesson.LESSON)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if VERBOSE in argv:
        argv.remove(VERBOSE)
    else:
        import_tensorflow_quietly()
    lesson = importlib.import_module(f"{__package__.rpartition('.')[0]}.lesson").LESSON
    from .cli import main as run_command

    return run_command(lesson, argv)
