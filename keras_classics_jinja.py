"""Jinja filters of this template, listed under `_extensions` in cookiecutter.json.

cookiecutter puts the template's folder on `sys.path` while it renders, so it finds this module by
name. The pre-generation hook loads it too, for `name_problem` and `shown`.
"""

import logging
import sys

from jinja2.ext import Extension

NAME_LIMIT = 64  # characters of project_slug and package_name: folder names, far below any file system's limit


def toml_string(text: str) -> str:
    """`text` as a TOML basic string: "..." with backslashes, quotes and control characters escaped.

    Jinja's `tojson` is no substitute: it writes an emoji as the surrogate pair \\ud83d\\ude80, which
    is JSON but not TOML.
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{ord(ch):04x}" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in escaped) + '"'


def shown(value) -> str:
    """An answer as an error message shows it: its repr, cut short (with its length) when long."""
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:40]!r}... ({len(value)} characters)"
    return repr(value)


def name_problem(field: str, value) -> str | None:
    """Why `value` cannot name the project's folder or package, or None."""
    if not isinstance(value, str) or not value.isidentifier() or not value.isascii():
        return (f"{field}: got {shown(value)}; expected a Python identifier (letters, digits and _, not starting "
                f"with a digit)")
    if len(value) > NAME_LIMIT:
        return f"{field}: got {shown(value)}; expected at most {NAME_LIMIT} characters"
    return None


def checked_folder_name(slug: str) -> str:
    """The project_slug, or exit 1 with one line: cookiecutter makes a folder of it before any hook runs."""
    problem = name_problem("project_slug", slug)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(1)
    return slug


class DropFailedHookTraceback(logging.Filter):
    """Drops cookiecutter's log of a hook that exited non-zero: its `logger.exception` in cookiecutter/hooks.py
    prints a 12-line FailedHookException traceback after the hook's own `error: ...` lines. Every other record
    passes."""

    def __init__(self, failed_hook: type[BaseException]):
        super().__init__()
        self.failed_hook = failed_hook

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "cookiecutter.hooks" and record.exc_info
                    and isinstance(record.exc_info[1], self.failed_hook))


def quiet_failed_hooks() -> None:
    """Give the console handlers that the cookiecutter command set up (cookiecutter/log.py) the filter above,
    except under --verbose (a handler at DEBUG): that, and a --debug-file, still get the traceback. The
    Python API sets up no handler, so it is left alone; it raises FailedHookException to its caller anyway."""
    from cookiecutter.exceptions import FailedHookException  # only imported inside cookiecutter, not by the hook

    for handler in logging.getLogger("cookiecutter").handlers:
        if (type(handler) is logging.StreamHandler and handler.level > logging.DEBUG
                and not any(isinstance(f, DropFailedHookTraceback) for f in handler.filters)):
            handler.addFilter(DropFailedHookTraceback(FailedHookException))


class Filters(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters["toml"] = toml_string
        environment.filters["checked_folder_name"] = checked_folder_name
        quiet_failed_hooks()
