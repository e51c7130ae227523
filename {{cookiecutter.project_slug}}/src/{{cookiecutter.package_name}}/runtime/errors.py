"""The errors a user can cause: reported as `error: ...` lines and exit status 2, never as a traceback."""

from __future__ import annotations

from collections.abc import Iterable


class UserError(ValueError):
    """Bad input from the user (a setting, a file, a flag): reported as a message, never a traceback."""


class ConfigError(UserError):
    """One or more config values are wrong; each line names the field, the value and what is allowed."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
