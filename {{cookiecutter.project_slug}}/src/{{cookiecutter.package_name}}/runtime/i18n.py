"""The language of what a project prints and draws: English, or Simplified Chinese (config.yaml's `language`).

Messages are written in English in the code as `_("... {name} ...").format(name=...)`, and their
translations come from gettext catalogs: the runtime's in runtime/locale/, the lesson's own in the
package's locale/ (both compiled in the template repository from its i18n/ sources). A message with no
translation is shown in English. Text defined before the language is known (a field's help, a command's
one-line help) is marked with `N_` and translated where it is shown.

Standard library only: the post-generation hook reaches this module before TensorFlow is installed.
"""

from __future__ import annotations

import argparse
import gettext
import os
from collections.abc import Callable
from pathlib import Path

LANGUAGES = ("en", "zh")
# A command passes its language to the processes it starts (compare's runs, a launch's workers) through this.
ENVIRONMENT = "KERAS_CLASSICS_LANGUAGE"
RUNTIME_CATALOGS = Path(__file__).resolve().parent / "locale"
LESSON_CATALOGS = RUNTIME_CATALOGS.parent.parent / "locale"

_active: gettext.NullTranslations = gettext.NullTranslations()
current = "en"
# What else follows the language: plots.py registers its choice of fonts here.
when_changed: list[Callable[[], None]] = []


def use(language: str) -> None:
    """Show every message from now on in `language` (one of LANGUAGES), in this process and the ones it starts."""
    global _active, current
    if language not in LANGUAGES:
        raise ValueError(_("language {value!r}: expected one of {allowed}").format(value=language,
                                                                                  allowed=", ".join(LANGUAGES)))
    lesson = gettext.translation("lesson", LESSON_CATALOGS, [language], fallback=True)
    lesson.add_fallback(gettext.translation("runtime", RUNTIME_CATALOGS, [language], fallback=True))
    _active, current = lesson, language
    os.environ[ENVIRONMENT] = language
    # argparse words its own help and errors ("usage:", "options", "the following arguments are required")
    # through the module's `_` and `ngettext`, looked up when it writes them; the runtime's catalog has them.
    # In English they are gettext's own again, as argparse imported them.
    english = language == "en"
    argparse._ = gettext.gettext if english else _
    argparse.ngettext = gettext.ngettext if english else ngettext
    for follow in when_changed:
        follow()


def _(message: str) -> str:
    """`message` in the current language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark text for the catalogs without translating it yet: it is translated with `_` where it is shown."""
    return message


def language_of(argv: list[str], config: Path) -> str:
    """The language a command shows itself in, before its words are parsed: `--language X` anywhere in `argv`,
    else a `language=X` setting among them, else the one a parent command passed on, else config.yaml's
    `language`, else English. A value that is not a language is left to the checks that name it."""
    for index, word in enumerate(argv):
        if word == "--language" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--language="):
            return word.partition("=")[2]
    given = [word.partition("=")[2].strip() for word in argv if word.startswith("language=")]
    if given:
        return given[-1]
    if os.environ.get(ENVIRONMENT):
        return os.environ[ENVIRONMENT]
    try:
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("language:"):
                return line.partition(":")[2].partition("#")[0].strip().strip("'\"")
    except (OSError, UnicodeDecodeError):
        pass
    return "en"
