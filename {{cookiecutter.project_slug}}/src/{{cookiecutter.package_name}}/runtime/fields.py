"""What one setting may be: a `Field`, which checks a value and says what is allowed.

Standard library and PyYAML only, like config.py: the template's generation hook imports both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError
from .i18n import N_, _
from .values import LONGEST_NUMBER, LongNumber, shown_number, shown_value, suggestion


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
            text = _("one of {choices}").format(
                choices=", ".join(str(c).lower() if isinstance(c, bool) else str(c) for c in self.choices))
        elif self.kind == "bool":
            text = _("true or false")
        elif self.kind == "str":
            text = _("a text")
        elif self.kind == "str_list":
            text = _("a list of texts")
        else:
            text = _(NUMBERS[self.kind, self._bounds()]).format(
                low="" if self.minimum is None else shown_number(self.minimum),
                high="" if self.maximum is None else shown_number(self.maximum))
        return _("{allowed} or null").format(allowed=text) if self.optional else text

    def _bounds(self) -> str:
        """Which bounds a number has, as its phrase in NUMBERS is keyed: "low..high", "low..<high", "low..",
        "..high", "..<high" or ""."""
        low, high = self.minimum is not None, self.maximum is not None
        if low and high:
            return "low..<high" if self.below_maximum else "low..high"
        if low:
            return "low.."
        if high:
            return "..<high" if self.below_maximum else "..high"
        return ""

    def parse(self, key: str, value: Any) -> Any:
        """Return `value` converted to this field's type, or raise ConfigError naming `key`."""
        if value is None:
            if self.optional:
                return None
            raise self._error(key, value)
        if self.kind == "choice":
            # Of a choice's own type (so `true` is not the choice 1), and no other value is written out for a hint.
            if any(type(value) is type(choice) and value == choice for choice in self.choices):
                return value
            hint = suggestion(value, [str(c) for c in self.choices]) if isinstance(value, str) else ""
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
                raise self._error(key, value, _(" (1 to {count} items)").format(count=self.max_items))
            return [self._number(key, item, int, whole=value) for item in value]
        if self.kind == "str_list":
            if (not isinstance(value, list) or not 1 <= len(value) <= self.max_items
                    or not all(isinstance(item, str) and item.strip() for item in value)):
                raise self._error(key, value, _(" (1 to {count} non-empty items)").format(count=self.max_items))
            return value
        return self._number(key, value, int if self.kind == "int" else float)

    def _number(self, key: str, value: Any, kind: type, whole: Any = None) -> int | float:
        shown = value if whole is None else whole
        if isinstance(value, LongNumber):
            raise self._too_long(key, shown)
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
        if kind is int and abs(number) >= 10 ** (LONGEST_NUMBER - 1):  # 9999e300: written back, a LongNumber
            raise self._too_long(key, shown)
        too_low = self.minimum is not None and number < self.minimum
        too_high = self.maximum is not None and (
            number >= self.maximum if self.below_maximum else number > self.maximum
        )
        if too_low or too_high:
            raise self._error(key, shown)
        return number

    def _too_long(self, key: str, shown: Any) -> ConfigError:
        """Out of range, also where there is no maximum: no setting needs a number that long."""
        if self.maximum is not None:
            return self._error(key, shown)
        return self._error(key, shown, _(" (of at most {digits} digits)").format(digits=LONGEST_NUMBER - 1))

    def _error(self, key: str, value: Any, extra: str = "") -> ConfigError:
        """The refusal: the field, the value given, what is allowed, and `extra` (a hint, already translated)."""
        return ConfigError([_("{key}: got {value}; expected {allowed}{extra}").format(
            key=key, value=shown_value(value), allowed=self.allowed(), extra=extra)])


# What a number field allows, a whole phrase for each kind and its bounds (languages put a range before or after
# the noun); by Field.kind and Field._bounds().
NUMBERS = {
    ("int", ""): N_("an integer"),
    ("int", "low..high"): N_("an integer from {low} to {high}"),
    ("int", "low..<high"): N_("an integer from {low} to below {high}"),
    ("int", "low.."): N_("an integer of at least {low}"),
    ("int", "..high"): N_("an integer at most {high}"),
    ("int", "..<high"): N_("an integer below {high}"),
    ("float", ""): N_("a number"),
    ("float", "low..high"): N_("a number from {low} to {high}"),
    ("float", "low..<high"): N_("a number from {low} to below {high}"),
    ("float", "low.."): N_("a number of at least {low}"),
    ("float", "..high"): N_("a number at most {high}"),
    ("float", "..<high"): N_("a number below {high}"),
    ("int_list", ""): N_("a list of integers"),
    ("int_list", "low..high"): N_("a list of integers from {low} to {high}"),
    ("int_list", "low..<high"): N_("a list of integers from {low} to below {high}"),
    ("int_list", "low.."): N_("a list of integers of at least {low}"),
    ("int_list", "..high"): N_("a list of integers at most {high}"),
    ("int_list", "..<high"): N_("a list of integers below {high}"),
}
