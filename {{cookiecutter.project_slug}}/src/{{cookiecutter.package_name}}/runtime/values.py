"""YAML read and written as people write numbers, and values as messages show them (config.py, fields.py).

Standard library and PyYAML only, like config.py: the template's generation hook imports both.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

import yaml

from .errors import ConfigError
from .i18n import _

# No setting needs a number written in more characters; Python refuses to read an integer of more than 4300
# digits, and takes long over a huge one in hexadecimal or base 60.
LONGEST_NUMBER = 100


class LongNumber:
    """An integer written in more than LONGEST_NUMBER characters, kept as it was typed: refused by every field."""

    def __init__(self, text: str):
        self.text = text


class NumberLoader(yaml.SafeLoader):
    """YAML as PyYAML reads it, except that numbers are read as people write them, and a key given twice is refused.

    PyYAML follows YAML 1.1, where a float needs a dot: `1e-4`, `1E-3` and `5e2` would be read as
    text and refused. YAML 1.2 (and Python, and every course note) reads them as numbers; so do we.
    PyYAML keeps the last of a key given twice, silently: here that is a ConfigError naming the key and its lines.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self.prefixes: dict[yaml.Node, str] = {}  # a mapping node -> the path of its keys in the document: "training."

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | LongNumber:
        if len(node.value) > LONGEST_NUMBER:
            return LongNumber(node.value)
        return super().construct_yaml_int(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        if not isinstance(node, yaml.MappingNode):  # `!!set [1]`: PyYAML says what it expected
            return super().construct_mapping(node, deep)
        # Each mapping node is constructed once, however many aliases name it, so this stays linear in the text.
        prefix = self.prefixes.get(node, "")
        places: dict[Any, list[tuple[yaml.Node, yaml.Node]]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults`: a key set again overrides a merged one
                continue
            try:
                places.setdefault(self.construct_object(key_node, deep=deep), []).append((key_node, value_node))
            except TypeError:  # an unhashable key, which PyYAML refuses below
                continue
            if isinstance(value_node, yaml.MappingNode):
                self.prefixes.setdefault(value_node, f"{prefix}{key_node.value}.")
        repeated = [pairs for pairs in places.values() if len(pairs) > 1]
        if repeated:
            raise ConfigError([given_again(prefix, pairs) for pairs in repeated])
        return super().construct_mapping(node, deep)


NumberLoader.add_constructor("tag:yaml.org,2002:int", NumberLoader.construct_yaml_int)


def given_again(prefix: str, pairs: list[tuple[yaml.Node, yaml.Node]]) -> str:
    """'training.epochs appears twice (lines 16 and 17); keep one', for a key's (key node, value node) pairs."""
    name = shown_key(f"{prefix}{pairs[0][0].value}")
    lines = sorted({key_node.start_mark.line + 1 for key_node, _value in pairs})
    if len(lines) == 1:
        where = _("line {line}").format(line=lines[0])
    else:
        where = _("lines {lines} and {last}").format(lines=", ".join(map(str, lines[:-1])), last=lines[-1])
    section = any(isinstance(value_node, yaml.MappingNode) for _key, value_node in pairs)
    if len(pairs) == 2:
        message = (_("the section {name} appears twice ({where}); keep one, with all its keys") if section
                   else _("{name} appears twice ({where}); keep one"))
    else:
        message = (_("the section {name} appears {count} times ({where}); keep one, with all its keys") if section
                   else _("{name} appears {count} times ({where}); keep one"))
    return message.format(name=name, count=len(pairs), where=where)


class NumberDumper(yaml.SafeDumper):
    """Writes YAML that NumberLoader reads back as it was: a text such as "1e5" is quoted."""


for _side in (NumberLoader, NumberDumper):
    _side.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9_]+)[eE][-+]?[0-9]+$"),
        list("-+0123456789."),
    )
# As typed, so that it reads back the same (compare writes values as overrides before they are checked).
NumberDumper.add_representer(
    LongNumber, lambda dumper, number: dumper.represent_scalar("tag:yaml.org,2002:int", number.text))


def read_yaml(text: str) -> Any:
    """The data in `text`; a ConfigError (without the file's name) where a mapping gives a key twice."""
    try:
        return yaml.load(text, Loader=NumberLoader)  # noqa: S506 (a SafeLoader: plain data only)
    except ConfigError:  # a ValueError too
        raise
    except (ValueError, TypeError, LookupError, AttributeError):
        # How PyYAML's constructors fail on a value that does not fit its explicit tag: `!!int abc`, `!!bool maybe`.
        raise yaml.YAMLError(_("a value does not fit the type that its tag names, as in !!int abc")) from None


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean training.epochs?)' for the candidate closest to `word`, or "" where none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return _(" (did you mean {word}?)").format(word=close[0]) if close else ""


def shown_key(name: str) -> str:
    """A key as typed, or quoted where it holds a line break or a character that does not print (long ones cut)."""
    return cut(name if name.isprintable() else repr(name), len(name))


def shown_value(value: Any) -> str:
    """A value as one line, written as it would be typed (long ones cut, with their length where it is known).

    Written only as far as it is shown: a few lines of YAML aliases make a list of billions of items."""
    if isinstance(value, str):  # quoted, so that the text '5' is not taken for the number 5
        return cut(repr(value[:SHOWN + 1]), len(value))
    text = ""
    for piece in pieces(value):
        text += piece
        if len(text) > SHOWN:
            break
    return cut(text, len(value.text) if isinstance(value, LongNumber) else None)


SHOWN = 100  # characters of a value shown whole; a longer one is cut to its first 60


def cut(text: str, length: int | None) -> str:
    if len(text) <= SHOWN:
        return text
    if length:
        return _("{start}... ({length} characters)").format(start=text[:60], length=length)
    return f"{text[:60]}..."


def pieces(value: Any) -> Iterator[str]:
    """`value` in YAML's flow style, a few characters at a time, for as long as they are asked for."""
    if isinstance(value, list):
        yield "["
        for index, item in enumerate(value):
            yield ", " if index else ""
            yield from pieces(item)
        yield "]"
    elif isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ", " if index else ""
            yield from pieces(key)
            yield ": "
            yield from pieces(item)
        yield "}"
    elif isinstance(value, LongNumber):
        yield value.text
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * SHOWN:
        # Over 120 digits or so: never written out (thousands of digits take Python long, past 4300 it refuses).
        digits = math.floor(math.log10(abs(value))) + 1
        if value < 0:
            yield _("a negative integer of about {digits} digits").format(digits=digits)
        else:
            yield _("an integer of about {digits} digits").format(digits=digits)
    else:
        value = value[:SHOWN + 1] if isinstance(value, (str, bytes)) else value
        text = yaml.dump(value, Dumper=NumberDumper, default_flow_style=True, width=10**9).strip()
        text = text.removesuffix("...").strip()
        yield text if "\n" not in text else repr(value)


def shown_number(number: float) -> str:
    """A bound as a person would type it back (and as this module reads it): 10, 0.001, 1e-8."""
    if float(number).is_integer() and abs(number) < 1e16:
        return str(int(number))
    mantissa, _e, exponent = f"{number:g}".partition("e")
    return mantissa + (f"e{int(exponent)}" if exponent else "")
