"""The entry point of `python train.py` and of the project's console script: a quiet start (quiet.py; the
command line's `--verbose` skips it and shows TensorFlow's start-up lines), then the lesson's command."""

from __future__ import annotations

import importlib
import sys

from .quiet import import_tensorflow_quietly

VERBOSE = "--verbose"


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
