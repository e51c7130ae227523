"""What one setting may be (`Field`), and YAML read and written as people write numbers.

Standard library and PyYAML only, like config.py: the template's generation hook imports both.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import ConfigError


class NumberLoader(yaml.SafeLoader):
    """YAML as PyYAML reads it, except that numbers are read as people write them.

    PyYAML follows YAML 1.1, where a float needs a dot: `1e-4`, `1E-3` and `5e2` would be read as
    text and refused. YAML 1.2 (and Python, and every course note) reads them as numbers; so do we.
    """


class NumberDumper(yaml.SafeDumper):
    """Writes YAML that NumberLoader reads back as it was: a text such as "1e5" is quoted."""


for _side in (NumberLoader, NumberDumper):
    _side.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
        list("-+0123456789."),
    )


def read_yaml(text: str) -> Any:
    return yaml.load(text, Loader=NumberLoader)  # noqa: S506 (a SafeLoader: plain data only)


@dataclass(frozen=True)
class Field:
    """What one config key accepts.

    kind: "int", "float", "bool", "str", "choice", "int_list" or "str_list".
    minimum / maximum bound numbers (and the items of an int_list); `below_maximum` makes the
    upper bound exclusive (a dropout rate must stay below 1). `optional` allows `null`.
    """

    kind: str
    help: str = ""
    minimum: float | None = None
    maximum: float | None = None
    below_maximum: bool = False
    choices: tuple = ()
    optional: bool = False
    max_items: int = 32

    def allowed(self) -> str:
        if self.kind == "choice":
            text = "one of " + ", ".join(str(c) for c in self.choices)
        elif self.kind == "bool":
            text = "true or false"
        elif self.kind == "str":
            text = "a text"
        elif self.kind == "str_list":
            text = "a list of texts"
        else:
            noun = {"int": "an integer", "float": "a number", "int_list": "a list of integers"}[self.kind]
            text = noun + self._range()
        return text + (" or null" if self.optional else "")

    def _range(self) -> str:
        low, high = self.minimum, self.maximum
        upper = "below" if self.below_maximum else "at most"
        if low is not None and high is not None:
            if not self.below_maximum:
                return f" from {shown_number(low)} to {shown_number(high)}"
            return f" from {shown_number(low)} to below {shown_number(high)}"
        if low is not None:
            return f" of at least {shown_number(low)}"
        if high is not None:
            return f" {upper} {shown_number(high)}"
        return ""

    def parse(self, key: str, value: Any) -> Any:
        """Return `value` converted to this field's type, or raise ConfigError naming `key`."""
        if value is None:
            if self.optional:
                return None
            raise self._error(key, value)
        if self.kind == "choice":
            if value in self.choices:
                return value
            hint = suggestion(str(value), [str(c) for c in self.choices])
            raise self._error(key, value, hint)
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise self._error(key, value)
        if self.kind == "str":
            if isinstance(value, str) and value.strip():
                return value
            raise self._error(key, value)
        if self.kind == "int_list":
            if not isinstance(value, list) or not 1 <= len(value) <= self.max_items:
                raise self._error(key, value, f" (1 to {self.max_items} items)")
            return [self._number(key, item, int, whole=value) for item in value]
        if self.kind == "str_list":
            if (not isinstance(value, list) or not 1 <= len(value) <= self.max_items
                    or not all(isinstance(item, str) and item.strip() for item in value)):
                raise self._error(key, value, f" (1 to {self.max_items} non-empty items)")
            return value
        return self._number(key, value, int if self.kind == "int" else float)

    def _number(self, key: str, value: Any, kind: type, whole: Any = None) -> int | float:
        shown = value if whole is None else whole
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._error(key, shown)
        if kind is int and (isinstance(value, float) and not value.is_integer()):
            raise self._error(key, shown)
        if isinstance(value, float) and not math.isfinite(value):
            raise self._error(key, shown)
        try:
            number = kind(value)
        except OverflowError:  # an integer too large for a float
            raise self._error(key, shown) from None
        too_low = self.minimum is not None and number < self.minimum
        too_high = self.maximum is not None and (
            number >= self.maximum if self.below_maximum else number > self.maximum
        )
        if too_low or too_high:
            raise self._error(key, shown)
        return number

    def _error(self, key: str, value: Any, extra: str = "") -> ConfigError:
        return ConfigError([f"{key}: got {shown_value(value)}; expected {self.allowed()}{extra}"])


def suggestion(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def shown_key(name: str) -> str:
    """A key as typed, or quoted where it holds a line break or another character that does not print."""
    return name if name.isprintable() else repr(name)


def shown_value(value: Any) -> str:
    """A value as one line, written as it would be typed (long ones cut, with their length)."""
    if isinstance(value, str):
        text = repr(value)
    else:
        text = yaml.dump(value, Dumper=NumberDumper, default_flow_style=True, width=10**9).strip()
        text = text.removesuffix("...").strip()
    return text if len(text) <= 100 else f"{text[:60]}... ({len(text)} characters)"


def shown_number(number: float) -> str:
    """A bound as a person would type it back (and as this module reads it): 10, 0.001, 1e-8."""
    if float(number).is_integer() and abs(number) < 1e16:
        return str(int(number))
    mantissa, _, exponent = f"{number:g}".partition("e")
    return mantissa + (f"e{int(exponent)}" if exponent else "")
