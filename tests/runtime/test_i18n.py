"""The language a command speaks (runtime/i18n.py): where it is chosen, and what follows it."""

from __future__ import annotations

import os

import pytest
from standin.lesson import LESSON
from standin.runtime import cli, i18n, start
from standin.runtime.i18n import _


@pytest.fixture
def chinese():
    i18n.use("zh")
    yield
    i18n.use("en")
    os.environ.pop(i18n.ENVIRONMENT, None)


@pytest.fixture
def no_inherited_language(monkeypatch):
    monkeypatch.delenv(i18n.ENVIRONMENT, raising=False)


def test_the_language_comes_from_the_flag_then_a_setting_then_the_parent_then_config_yaml(tmp_path, monkeypatch,
                                                                                          no_inherited_language):
    config = tmp_path / "config.yaml"
    config.write_text("architecture: standin\nlanguage: zh   # en | zh\nseed: 1\n", encoding="utf-8")
    assert i18n.language_of([], config) == "zh"
    assert i18n.language_of([], tmp_path / "missing.yaml") == "en"
    monkeypatch.setenv(i18n.ENVIRONMENT, "en")
    assert i18n.language_of([], config) == "en", "a command started by another speaks its language"
    assert i18n.language_of(["training.epochs=2", "language=zh"], config) == "zh"
    assert i18n.language_of(["language=zh", "--language", "en"], config) == "en"
    assert i18n.language_of(["evaluate", "runs/x", "--language=zh"], config) == "zh"


def test_the_flag_is_taken_out_wherever_it_is():
    assert start.without_language_flag(["evaluate", "--language", "zh", "runs/x", "--language=en", "language=zh"]) \
        == ["evaluate", "runs/x", "language=zh"]


def test_an_unknown_language_is_refused_before_anything_starts(capsys, no_inherited_language):
    assert start.main(["--language", "fr", "explain"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: language 'fr': expected one of en, zh")
    assert len(error.splitlines()) == 1


def test_chinese_reaches_argparse_own_words_and_the_processes_a_command_starts(chinese, capsys):
    assert os.environ[i18n.ENVIRONMENT] == "zh"
    parser = cli.build_parser(LESSON)
    shown = parser.format_help()
    assert "用法" in shown and "usage:" not in shown
    with pytest.raises(SystemExit):
        parser.parse_args(["compare", "--seeds", "x"])
    error = capsys.readouterr().err
    assert "错误" in error and "error:" not in error, error


def test_a_message_with_no_translation_is_shown_in_english(chinese):
    assert _("a message no catalog has") == "a message no catalog has"
    assert _("training") != "training", "the runtime's catalog is found in the copied project"


def test_english_is_the_code_as_written():
    i18n.use("en")
    assert _("training") == "training"
    assert cli.build_parser(LESSON).format_help().startswith("usage: ")
