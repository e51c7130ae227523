"""Any config value, override or config file gives a checked config or a clean refusal, never a traceback.

The generated projects' own `config.py` and `schema.py` (standard library and PyYAML only) run in this
process, one baked project per architecture. A config that passes is written as a run directory's
config.yaml is and must read back unchanged: that file is what `--resume` and `evaluate` load.
"""

from __future__ import annotations

import importlib
import re
import string
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .conftest import ARCHITECTURES

PROPERTY = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def projects(cookies_session) -> dict[str, tuple[Path, object]]:
    """architecture -> (config.yaml, the project's schema module), each package named after its architecture."""
    found = {}
    for architecture in ARCHITECTURES:
        answers = {"architecture": architecture, "project_slug": f"cfg_{architecture}"}
        result = cookies_session.bake(extra_context=answers)
        assert result.exit_code == 0, result.exception
        project = Path(result.project_path)
        sys.path.insert(0, str(project / "src"))
        found[architecture] = project / "config.yaml", importlib.import_module(f"cfg_{architecture}.schema")
    return found


NUMBERS = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(r"\A[-+]?([0-9]{1,4}|[0-9]*\.[0-9]{1,3})([eE][-+]?[0-9]{1,3})?\Z", fullmatch=True),
)
YAML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(string.ascii_lowercase, max_size=6),
                                                                         inner, max_size=3)),
    max_leaves=8,
).map(lambda value: yaml.safe_dump(value, default_flow_style=True, width=10_000).strip().removesuffix("...").strip())
VALUE_TEXT = st.one_of(NUMBERS, YAML_VALUES, st.text(max_size=20))


@st.composite
def overrides(draw, fields):
    """Up to three `key=value` overrides: mostly real keys, sometimes a section, a deeper key or a made-up one."""
    keys = st.one_of(st.sampled_from(sorted(fields)), st.sampled_from(sorted({key.split(".")[0] for key in fields})),
                     st.sampled_from(sorted(fields)).map(lambda key: key + ".more"), st.text(max_size=10))
    return [f"{draw(keys)}={draw(VALUE_TEXT)}" for _ in range(draw(st.integers(1, 3)))]


def assert_clean_refusal(error, fields, given: list[str]) -> None:
    """Every line names a field (known or unknown), the config file, or the override it is about."""
    assert error.problems, "a refusal says why"
    named = set(fields) | {text.partition("=")[0].strip() for text in given}
    for line in error.problems:
        assert "\n" not in line and (any(line.startswith(f"{name}: ") for name in named) or " unknown key" in line
                                     or line.startswith(("override ", "config file "))), line
    event("refused")


def assert_reads_back(config_module, schema, cfg: dict, tmp_path: Path) -> None:
    """The checked config, written as a run's config.yaml, loads again to the same values."""
    path = tmp_path / "resolved.yaml"
    config_module.dump(cfg, path)
    assert schema.load(path) == cfg
    event("accepted")


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_any_override_is_checked_or_refused_by_name(projects, tmp_path, architecture):
    config_path, schema = projects[architecture]

    @PROPERTY
    @given(given=overrides(schema.FIELDS))
    def check(given):
        try:
            cfg = schema.load(config_path, given)
        except schema.config.ConfigError as error:
            assert_clean_refusal(error, schema.FIELDS, given)
            return
        assert_reads_back(schema.config, schema, cfg, tmp_path)

    check()


@pytest.mark.parametrize("architecture", ["mnist_mlp", "seq2seq_translation", "dcgan"])
def test_any_config_file_is_checked_or_refused_by_name(projects, tmp_path, architecture):
    """The shipped config.yaml with one line replaced by anything, or any text (and bytes) at all."""
    config_path, schema = projects[architecture]
    lines = config_path.read_text(encoding="utf-8").splitlines()

    @PROPERTY
    @given(index=st.integers(0, len(lines) - 1), key=st.sampled_from(sorted(schema.FIELDS)), value=VALUE_TEXT,
           anything=st.one_of(st.none(), st.binary(max_size=40), st.text(max_size=40)))
    def check(index, key, value, anything):
        path = tmp_path / "config.yaml"
        if anything is None:  # one setting's line replaced, at its own indentation
            name = key.split(".")[-1]
            edited = [f"{line[:len(line) - len(line.lstrip())]}{name}: {value}"
                      if line.lstrip().startswith(f"{name}:") else line for line in lines]
            path.write_text("\n".join(edited) + "\n", encoding="utf-8")
        elif isinstance(anything, bytes):
            path.write_bytes("\n".join(lines[:index]).encode() + b"\n" + anything)
        else:
            path.write_text("\n".join(lines[:index]) + "\n" + anything, encoding="utf-8")
        try:
            cfg = schema.load(path)
        except schema.config.ConfigError as error:
            assert_clean_refusal(error, schema.FIELDS, [])
            return
        assert_reads_back(schema.config, schema, cfg, tmp_path)

    check()


KEY_LINE = re.compile(r"( *)([A-Za-z_][A-Za-z0-9_]*):(?: |$)")


def key_paths(lines: list[str]) -> dict[int, str]:
    """Line index -> the dotted path of the key it sets ("training.epochs"), from its indentation."""
    paths, open_keys = {}, []  # open_keys: (indentation, name) of the keys that the next lines may sit under
    for index, line in enumerate(lines):
        if match := KEY_LINE.match(line):
            indent, name = len(match[1]), match[2]
            while open_keys and open_keys[-1][0] >= indent:
                open_keys.pop()
            open_keys.append((indent, name))
            paths[index] = ".".join(name for _, name in open_keys)
    return paths


@pytest.mark.parametrize("architecture", ["mnist_mlp", "seq2seq_translation", "dcgan"])
def test_a_key_given_twice_is_refused_with_its_path_and_lines(projects, tmp_path, architecture):
    """Any key or section line of the shipped config.yaml given again, right after itself or at the end of the
    mapping it belongs to, with its own value or another number: refused, naming its path and both lines."""
    config_path, schema = projects[architecture]
    lines = config_path.read_text(encoding="utf-8").splitlines()
    paths = key_paths(lines)
    shipped = yaml.safe_load(config_path.read_text(encoding="utf-8"))

    @PROPERTY
    @given(index=st.sampled_from(sorted(paths)), at_the_end=st.booleans(), number=st.one_of(st.none(), NUMBERS))
    def check(index, at_the_end, number):
        indent = len(lines[index]) - len(lines[index].lstrip())
        value = shipped
        for name in paths[index].split("."):
            value = value[name]
        section = isinstance(value, dict)
        copy = lines[index] if section or number is None else f"{' ' * indent}{paths[index].split('.')[-1]}: {number}"
        where = index + 1
        if at_the_end:  # before the next line that is less indented (one that is not blank or a comment)
            while where < len(lines) and (len(lines[where]) - len(lines[where].lstrip()) >= indent or
                                          not lines[where].strip() or lines[where].lstrip().startswith("#")):
                where += 1
        path = tmp_path / "config.yaml"
        path.write_text("\n".join([*lines[:where], copy, *lines[where:]]) + "\n", encoding="utf-8")
        with pytest.raises(schema.config.ConfigError) as caught:
            schema.load(path)
        assert_clean_refusal(caught.value, schema.FIELDS, [])
        named = f"the section {paths[index]}" if section else paths[index]
        assert caught.value.problems == [f"config file {path}: {named} appears twice (lines {index + 1} and "
                                         f"{where + 1}); keep one{', with all its keys' if section else ''}"]

    check()


@st.composite
def alias_bombs(draw) -> str:
    """YAML of a few hundred characters that holds up to 9 ** 7 (4.8 million) items through its aliases: a list or
    a mapping of lists or mappings, each anchor repeating the one before up to 9 times."""
    levels, width, inner_mapping, outer_mapping = (draw(st.integers(1, 7)), draw(st.integers(2, 9)),
                                                   draw(st.booleans()), draw(st.booleans()))

    def repeated(item: str) -> str:
        if inner_mapping:
            return "{" + ", ".join(f"{string.ascii_lowercase[n]}: {item}" for n in range(width)) + "}"
        return "[" + ", ".join([item] * width) + "]"

    nested = [f"&h0 {repeated('1')}", *(f"&h{level} {repeated(f'*h{level - 1}')}" for level in range(1, levels))]
    if outer_mapping:
        return "{" + ", ".join(f"k{level}: {item}" for level, item in enumerate(nested)) + "}"
    return f"[{', '.join(nested)}]"


@pytest.mark.parametrize("architecture", ["mnist_mlp", "seq2seq_translation", "dcgan"])
def test_an_alias_bomb_in_any_field_is_refused_at_once(projects, tmp_path, architecture):
    """An alias bomb as any field's value, in config.yaml or as an override: refused, naming the field, in well
    under a second (never written out: before, a bomb of millions of items took seconds to minutes, or for ever)."""
    config_path, schema = projects[architecture]
    lines = config_path.read_text(encoding="utf-8").splitlines()

    @settings(PROPERTY, max_examples=50)
    @given(key=st.sampled_from(sorted(schema.FIELDS)), bomb=alias_bombs(), in_the_file=st.booleans())
    def check(key, bomb, in_the_file):
        path, overrides = config_path, [f"{key}={bomb}"]
        if in_the_file:
            name, path, overrides = key.split(".")[-1], tmp_path / "config.yaml", []
            edited = [f"{line[:len(line) - len(line.lstrip())]}{name}: {bomb}"
                      if line.lstrip().startswith(f"{name}:") else line for line in lines]
            path.write_text("\n".join(edited) + "\n", encoding="utf-8")
        started = time.perf_counter()
        with pytest.raises(schema.config.ConfigError) as caught:
            schema.load(path, overrides)
        assert time.perf_counter() - started < 1
        assert_clean_refusal(caught.value, schema.FIELDS, overrides)
        assert any(line.startswith(f"{key}: got ") for line in caught.value.problems), caught.value.problems

    check()
