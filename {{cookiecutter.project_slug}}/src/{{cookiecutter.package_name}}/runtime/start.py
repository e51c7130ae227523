"""The entry point of `python train.py` and of the project's console script: the language (i18n.py), a quiet
start (quiet.py; the command line's `--verbose` skips it and shows TensorFlow's start-up lines), then the
lesson's command."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from . import i18n
from .i18n import _
from .quiet import import_tensorflow_quietly

VERBOSE = "--verbose"


def main(argv: list[str] | None = None) -> int:
    """Run the command line for this project's lesson (lesson.LESSON)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    config = argv[argv.index("--config") + 1] if "--config" in argv[:-1] else "config.yaml"
    language = i18n.language_of(argv, Path(config))
    argv = without_language_flag(argv)
    if language not in i18n.LANGUAGES:
        print(_("error: language {value!r}: expected one of {allowed} (en: English, zh: 简体中文)").format(
            value=language, allowed=", ".join(i18n.LANGUAGES)), file=sys.stderr)
        return 2
    i18n.use(language)
    if VERBOSE in argv:
        argv.remove(VERBOSE)
    else:
        import_tensorflow_quietly()
    lesson = importlib.import_module(f"{__package__.rpartition('.')[0]}.lesson").LESSON
    from .cli import main as run_command

    return run_command(lesson, argv)


def without_language_flag(argv: list[str]) -> list[str]:
    """`argv` less `--language X` and `--language=X`, which every command takes (a `language=X` setting stays)."""
    kept, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word == "--language":
            skip = True
        elif not word.startswith("--language="):
            kept.append(word)
    return kept
