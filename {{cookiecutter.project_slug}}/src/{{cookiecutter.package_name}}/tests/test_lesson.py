"""The lesson keeps the contract with the runtime (runtime/lesson.py): what the runtime calls is there."""

from __future__ import annotations

import argparse

from .. import schema
from ..lesson import LESSON
from ..runtime.lesson import Command, Lesson

REQUIRED = ("settings", "data", "model", "compile", "evaluate", "layer_plan")


def test_the_lesson_gives_the_runtime_what_it_calls():
    assert isinstance(LESSON, Lesson) and LESSON.name == schema.ARCHITECTURE
    missing = [name for name in REQUIRED if getattr(type(LESSON), name) is getattr(Lesson, name)]
    assert missing == [], "required by runtime/lesson.py and not given"
    assert LESSON.evaluation_artifacts and all(isinstance(name, str) for name in LESSON.evaluation_artifacts)


def test_its_own_command_has_a_name_help_arguments_and_a_run():
    assert LESSON.command is None or isinstance(LESSON.command, Command)
    if LESSON.command is not None:
        parser = argparse.ArgumentParser()
        LESSON.command.add_arguments(parser)
        assert LESSON.command.COMMAND.isidentifier() and LESSON.command.HELP
