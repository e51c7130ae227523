"""Load `config.yaml`, apply `key=value` overrides, and validate every value.

Standard library and PyYAML only: the template's post-generation hook imports this module to
check a freshly generated project before TensorFlow is even installed, and `train.py` uses the
same code, so both give the same message for the same mistake.

Every key the project understands is declared once, as a `Field`: the keys shared by all the
architectures are in `COMMON_FIELDS` below, the architecture's own keys in `schema.py`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class UserError(ValueError):
    """Bad input from the user (a setting, a file, a flag): reported as a message, never a traceback."""


class ConfigError(UserError):
    """One or more config values are wrong; each line names the field, the value and what is allowed."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


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
                return f" from {_fmt(low)} to {_fmt(high)}"
            return f" from {_fmt(low)} to below {_fmt(high)}"
        if low is not None:
            return f" of at least {_fmt(low)}"
        if high is not None:
            return f" {upper} {_fmt(high)}"
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
            hint = _suggestion(str(value), [str(c) for c in self.choices])
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
        number = kind(value)
        too_low = self.minimum is not None and number < self.minimum
        too_high = self.maximum is not None and (
            number >= self.maximum if self.below_maximum else number > self.maximum
        )
        if too_low or too_high:
            raise self._error(key, shown)
        return number

    def _error(self, key: str, value: Any, extra: str = "") -> ConfigError:
        return ConfigError([f"{key}: got {_show(value)}; expected {self.allowed()}{extra}"])


COMMON_FIELDS: dict[str, Field] = {
    "seed": Field("int", "random seed for weights, shuffling and dropout", minimum=0, maximum=2**31 - 1),
    "training.epochs": Field("int", "passes over the training set", minimum=1, maximum=100_000),
    "training.batch_size": Field("int", "examples per step on each device", minimum=1, maximum=65_536),
    "training.optimizer": Field("choice", "how weights follow the gradient",
                                choices=("sgd", "momentum", "adagrad", "rmsprop", "adam")),
    "training.learning_rate": Field("float", "step size", minimum=1e-8, maximum=10.0),
    "training.momentum": Field("float", "used by the momentum optimizer", minimum=0.0, maximum=1.0,
                               below_maximum=True),
    "training.early_stopping_patience": Field("int", "epochs without improvement before stopping; 0 = never stop early",
                                              minimum=0, maximum=100_000),
    "training.steps_per_epoch": Field("int", "cap on steps per epoch (null = the whole training set)",
                                      minimum=1, optional=True),
    "training.steps_per_execution": Field("int", "steps run inside one compiled call", minimum=1, maximum=10_000),
    "training.jit_compile": Field("bool", "compile the training step with XLA"),
    "training.deterministic": Field("bool", "make TensorFlow ops deterministic (repeatable, a little slower)"),
    "distribute.strategy": Field("choice", "how training is spread over devices",
                                 choices=("auto", "none", "mirrored", "multi_worker")),
    "distribute.cpu_replicas": Field("int", "logical CPU devices to mirror over when there is no GPU",
                                     minimum=1, maximum=64),
    "run.runs_dir": Field("str", "where run directories are created"),
}


ADAPTIVE_OPTIMIZERS = ("adagrad", "rmsprop", "adam")


def check_common(cfg: Mapping[str, Any]) -> Iterable[str]:
    """Combinations of common values that are each allowed alone but not together."""
    training = cfg["training"]
    if training["optimizer"] in ADAPTIVE_OPTIMIZERS and training["learning_rate"] > 1:
        # These optimizers divide each gradient by its own running size, so every weight moves by
        # about the learning rate per step whatever the gradient: above 1 that only diverges.
        yield (f"training.learning_rate: got {_fmt(training['learning_rate'])} with training.optimizer="
               f"{training['optimizer']}; adaptive optimizers ({', '.join(ADAPTIVE_OPTIMIZERS)}) need at most 1")


def parse_override(text: str) -> tuple[str, Any]:
    """Split `key=value`; the value is read as YAML, so `3`, `0.1`, `true`, `null`, `[256, 128]` work."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError([f"override {text!r}: expected key=value, for example training.epochs=5"])
    try:
        value = yaml.safe_load(raw) if raw.strip() else raw
    except yaml.YAMLError:
        value = raw
    return key, value


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"training": {"epochs": 5}} -> {"training.epochs": 5}; lists stay values."""
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, key + "."))
        else:
            flat[key] = value
    return flat


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        *sections, name = key.split(".")
        node = tree
        for section in sections:
            node = node.setdefault(section, {})
        node[name] = value
    return tree


def validate(
    raw: Mapping[str, Any],
    fields: Mapping[str, Field],
    check: Callable[[dict], Iterable[str]] | None = None,
) -> dict[str, Any]:
    """Return the config as a nested dict of checked values, or raise ConfigError listing every problem.

    `check` receives the checked config and yields messages for combinations of values that are
    each fine alone but wrong together.
    """
    problems: list[str] = []
    flat = flatten(raw)
    for key in flat:
        if key not in fields:
            problems.append(f"{key}: unknown key{_suggestion(key, fields)}")
    checked: dict[str, Any] = {}
    for key, field in fields.items():
        if key not in flat:
            problems.append(f"{key}: missing; expected {field.allowed()}")
            continue
        try:
            checked[key] = field.parse(key, flat[key])
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)
    config = unflatten(checked)
    if check is not None:
        problems.extend(check(config))
    if problems:
        raise ConfigError(problems)
    return config


def load(
    path: str | Path,
    overrides: Iterable[str],
    fields: Mapping[str, Field],
    check: Callable[[dict], Iterable[str]] | None = None,
) -> dict[str, Any]:
    """Read a YAML file, apply `key=value` overrides on top, and validate the result."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"config file {path}: not found"]) from None
    except yaml.YAMLError as error:
        raise ConfigError([f"config file {path}: not valid YAML ({error})"]) from None
    if not isinstance(raw, Mapping):
        raise ConfigError([f"config file {path}: expected a mapping of keys to values"])
    flat = flatten(raw)
    problems = []
    for text in overrides:
        try:
            key, value = parse_override(text)
        except ConfigError as error:
            problems.extend(error.problems)
            continue
        flat[key] = value
    if problems:
        raise ConfigError(problems)
    return validate(unflatten(flat), fields, check)


def dump(config: Mapping[str, Any], path: str | Path) -> None:
    Path(path).write_text(yaml.safe_dump(dict(config), sort_keys=False), encoding="utf-8")


def _suggestion(word: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"
