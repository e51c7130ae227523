"""Load `config.yaml`, apply `key=value` overrides, and validate every value.

Standard library and PyYAML only: the template's post-generation hook imports this module to
check a freshly generated project before TensorFlow is even installed, and `train.py` uses the
same code, so both give the same message for the same mistake.

Every key the project understands is declared once, as a `Field`: the keys shared by all the
architectures are in `COMMON_FIELDS` below, the architecture's own keys in `schema.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, UserError
from .fields import Field
from .i18n import N_, _
from .values import NumberDumper, read_yaml, shown_key, shown_number, shown_value, suggestion

COMMON_FIELDS: dict[str, Field] = {
    "language": Field("choice", N_("language of what the project prints and draws (en: English, zh: 简体中文); "
                                   "shown, not trained: evaluate, predict and --resume take it too"),
                      choices=("en", "zh")),
    "seed": Field("int", N_("random seed for weights, shuffling and dropout"), minimum=0, maximum=2**31 - 1),
    "training.epochs": Field("int", N_("passes over the training set"), minimum=1, maximum=100_000),
    "training.batch_size": Field("int", N_("examples per step on each device"), minimum=1, maximum=65_536),
    "training.optimizer": Field("choice", N_("how weights follow the gradient"),
                                choices=("sgd", "momentum", "adagrad", "rmsprop", "adam")),
    "training.learning_rate": Field("float", N_("step size"), minimum=1e-8, maximum=10.0),
    "training.momentum": Field("float", N_("used by the momentum optimizer"), minimum=0.0, maximum=1.0,
                               below_maximum=True),
    "training.early_stopping_patience": Field("int", N_("epochs without improvement before stopping; 0 = never stop "
                                                        "early"), minimum=0, maximum=100_000),
    "training.steps_per_epoch": Field("int", N_("cap on steps per epoch (null = the whole training set)"),
                                      minimum=1, optional=True),
    "training.steps_per_execution": Field("int", N_("steps run inside one compiled call"), minimum=1, maximum=10_000),
    "training.jit_compile": Field("choice", N_("compile the training step with XLA; auto: decided on the machine of "
                                               "the run (compile_choice.py)"), choices=("auto", True, False)),
    "training.deterministic": Field("bool", N_("make TensorFlow ops deterministic (repeatable, a little slower)")),
    "training.mixed_precision": Field("choice", N_("true: float16 maths with float32 weights and loss scaling (GPUs); "
                                                   "bfloat16: bfloat16 maths (CPUs with AMX); auto: decided on the "
                                                   "machine of the run (compile_choice.py)"),
                                      choices=("auto", True, False, "bfloat16")),
    "distribute.strategy": Field("choice", N_("how training is spread over devices"),
                                 choices=("auto", "none", "mirrored", "multi_worker")),
    "distribute.cpu_replicas": Field("int", N_("logical CPU devices to mirror over when there is no GPU"),
                                     minimum=1, maximum=64),
    "run.runs_dir": Field("str", N_("where run directories are created")),
    "run.backup_interval_seconds": Field("float", N_("seconds of training between backups, at least: more when one "
                                                     "is slow, so backups take at most 1/20 of the run (0 = after "
                                                     "every epoch)"), minimum=0.0, maximum=86_400.0),
    "run.log_gradients": Field("bool", N_("measure each layer's gradient after every epoch (gradients.csv and .png)")),
}


ADAPTIVE_OPTIMIZERS = ("adagrad", "rmsprop", "adam")


def check_common(cfg: Mapping[str, Any]) -> Iterable[str]:
    """Combinations of common values that are each allowed alone but not together."""
    training = cfg["training"]
    if training["optimizer"] in ADAPTIVE_OPTIMIZERS and training["learning_rate"] > 1:
        # These optimizers divide each gradient by its own running size, so every weight moves by
        # about the learning rate per step whatever the gradient: above 1 that only diverges.
        yield _("training.learning_rate: got {rate} with training.optimizer={optimizer}; adaptive optimizers "
                "({adaptive}) need at most 1").format(rate=shown_number(training["learning_rate"]),
                                                      optimizer=training["optimizer"],
                                                      adaptive=", ".join(ADAPTIVE_OPTIMIZERS))


def parse_override(text: str) -> tuple[str, Any]:
    """Split `key=value`; the value is read as YAML, so `3`, `0.1`, `true`, `null`, `[256, 128]` work."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError([_("override {text}: expected key=value, for example training.epochs=5").format(
            text=shown_value(text))])
    try:
        value = read_yaml(raw) if raw.strip() else raw
    except (yaml.YAMLError, RecursionError):
        value = raw
    except ConfigError as error:  # a key given twice in a mapping
        raise ConfigError([_("override {text}: {problem}").format(text=shown_value(text), problem=problem)
                           for problem in error.problems]) from None
    return key, value


def flatten(tree: Mapping[str, Any], sections: Collection[str] | None = None, prefix: str = "") -> dict[str, Any]:
    """{"training": {"epochs": 5}} -> {"training.epochs": 5}; lists stay values, and so does a mapping that is not
    one of `sections` (when given): it is checked as one value, never opened (YAML aliases nest billions of keys)."""
    flat: dict[str, Any] = {}
    for name, value in tree.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and (sections is None or key in sections):
            flat.update(flatten(value, sections, key + "."))
        else:
            flat[key] = value
    return flat


def sections_of(fields: Iterable[str]) -> set[str]:
    """The sections that hold the keys: "data.tfds_splits.train" -> {"data", "data.tfds_splits"}."""
    return {key[:index] for key in fields for index, char in enumerate(key) if char == "."}


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for key, value in flat.items():
        *sections, name = key.split(".")
        node = tree
        for section in sections:
            node = node.setdefault(section, {})
        node[name] = value
    return tree


def validate(flat: Mapping[str, Any], fields: Mapping[str, Field],
             check: Callable[[dict], Iterable[str]] | None = None) -> dict[str, Any]:
    """Return the config (flattened keys, as `flatten` makes them) as a nested dict of checked values, or raise
    ConfigError listing every problem. `check` receives the checked config and yields messages for combinations
    of values that are each fine alone but wrong together."""
    problems: list[str] = []
    names = [*fields, *sections_of(fields)]
    for key in flat:
        if key not in fields:  # suggest a name as deep: a misspelt section (left whole by flatten) gets a section
            alike = [name for name in names if name.count(".") == key.count(".")]
            problems.append(_("{key}: unknown key{hint}").format(key=shown_key(key), hint=suggestion(key, alike)))
    checked: dict[str, Any] = {}
    for key, field in fields.items():
        if key not in flat:
            if field.help:  # the help is marked N_ where the field is defined, and translated here
                missing = _("{key}: missing ({help}); expected {allowed}").format(
                    key=key, help=_(field.help), allowed=field.allowed())
            else:
                missing = _("{key}: missing; expected {allowed}").format(key=key, allowed=field.allowed())
            problems.append(missing)
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
    sections = sections_of(fields)
    flat = flatten(read_config_file(path), sections)
    problems = []
    for text in overrides:
        try:
            key, value = parse_override(text)
        except ConfigError as error:
            problems.extend(error.problems)
            continue
        # A section may be given whole (training={epochs: 3, seed: 1}): that sets each key in it.
        given = flatten({key: value}, sections) if isinstance(value, Mapping) and value else {key: value}
        shown = shown_value(text)
        for name in given:
            section = next((old for old in flat if old.startswith(name + ".")), None)
            above = next((old for old in flat if name.startswith(old + ".")), None)
            if section:
                problems.append(_("override {text}: {name} is a section of the config, not a value; set one of its "
                                  "keys, for example {key}=...").format(text=shown, name=shown_key(name),
                                                                        key=shown_key(section)))
            elif above:
                problems.append(_("override {text}: {name} is a value, not a section; set it as {name}=...").format(
                    text=shown, name=shown_key(above)))
            else:
                flat[name] = given[name]
    if problems:
        raise ConfigError(problems)
    return validate(flat, fields, check)


def read_config_file(path: Path) -> Mapping[str, Any]:
    """The mapping a YAML config file holds, or a ConfigError that names the file and what is wrong with it."""
    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([_("config file {path}: not found").format(path=path)]) from None
    except IsADirectoryError:
        raise ConfigError([_("config file {path}: is a folder; expected a YAML file such as config.yaml").format(
            path=path)]) from None
    except OSError as error:
        raise ConfigError([_("config file {path}: cannot be read ({reason})").format(
            path=path, reason=error.strerror or error)]) from None
    try:
        text = decode_utf8(raw_bytes)
    except UserError as error:
        raise ConfigError([_("config file {path}: {problem}").format(path=path, problem=error)]) from None
    try:
        raw = read_yaml(text)
    except ConfigError as error:  # a key given twice in a mapping
        raise ConfigError([_("config file {path}: {problem}").format(path=path, problem=problem)
                           for problem in error.problems]) from None
    except yaml.YAMLError as error:
        shown = " ".join(str(error).split())
        problem = _("config file {path}: not valid YAML ({reason})").format(path=path, reason=shown)
        raise ConfigError([problem]) from None
    except RecursionError:
        raise ConfigError([_("config file {path}: nested too deeply to be a config").format(path=path)]) from None
    if not isinstance(raw, Mapping):
        raise ConfigError([_("config file {path}: expected a mapping of keys to values").format(path=path)])
    return raw


def decode_utf8(raw: bytes) -> str:
    """A file's bytes as text; bytes that are not UTF-8 are refused with the line of the first bad one. (Also
    used for the projects' text data files.)"""
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark, as some editors write, is not part of the text
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start]
        raise UserError(_("not UTF-8 text (byte {byte:#04x} on line {line}); save the file as UTF-8").format(
            byte=bad, line=line)) from None


def dump(config: Mapping[str, Any], path: str | Path) -> None:
    Path(path).write_text(yaml.dump(dict(config), Dumper=NumberDumper, sort_keys=False, allow_unicode=True),
                          encoding="utf-8")
