"""config.yaml loading, overrides and the messages a mistake gets."""

from __future__ import annotations

import time

import pytest
from standin import schema
from standin.runtime.config import parse_override
from standin.runtime.errors import ConfigError
from standin.runtime.fields import Field, shown_value

from .conftest import CONFIG_PATH, refused


def problems_for(*overrides: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        schema.load(CONFIG_PATH, overrides)
    return caught.value.problems


def test_shipped_config_is_valid():
    cfg = schema.load(CONFIG_PATH)
    assert cfg["architecture"] == schema.ARCHITECTURE
    # Every project has these sections; a project may add its own (the DBN's pretraining), each declared in schema.py.
    assert {"architecture", "seed", "data", "model", "training", "distribute", "run"} <= set(cfg)
    assert set(cfg) == {key.split(".")[0] for key in schema.FIELDS}


def test_overrides_are_read_as_yaml():
    cfg = schema.load(CONFIG_PATH, ["training.epochs=3", "training.learning_rate=0.01", "training.steps_per_epoch=null",
                                    "training.jit_compile=false"])
    assert cfg["training"]["epochs"] == 3
    assert cfg["training"]["learning_rate"] == 0.01
    assert cfg["training"]["steps_per_epoch"] is None
    assert cfg["training"]["jit_compile"] is False
    assert parse_override("model.hidden_units=[256, 128]") == ("model.hidden_units", [256, 128])


def test_unknown_key_names_the_closest_one():
    assert problems_for("training.epoch=3") == ["training.epoch: unknown key (did you mean training.epochs?)"]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("training.epochs=abc", "training.epochs: got 'abc'; expected an integer from 1 to 100000"),
        ("training.epochs=0", "training.epochs: got 0; expected an integer from 1 to 100000"),
        ("training.epochs=2.5", "training.epochs: got 2.5; expected an integer from 1 to 100000"),
        ("training.batch_size=true", "training.batch_size: got true; expected an integer from 1 to 65536"),
        ("training.learning_rate=.nan", "training.learning_rate: got .nan; expected a number from 1e-8 to 10"),
        ("distribute.strategy=gpu", "distribute.strategy: got 'gpu'; expected one of auto, none, mirrored, "
                                    "multi_worker"),
        ("training.jit_compile=1", "training.jit_compile: got 1; expected one of auto, true, false"),
        ("training.jit_compile=Auto", "training.jit_compile: got 'Auto'; expected one of auto, true, false "
                                      "(did you mean auto?)"),
    ],
)
def test_bad_values_name_field_value_and_what_is_allowed(override, message):
    assert problems_for(override) == [message]


def test_every_problem_is_reported_at_once():
    found = problems_for("training.epochs=0", "training.momentum=2", "nonsense=1")
    assert [line.split(":")[0] for line in found] == ["nonsense", "training.epochs", "training.momentum"]


def test_override_without_equals_sign():
    assert problems_for("training.epochs") == [
        "override 'training.epochs': expected key=value, for example training.epochs=5"]


def test_combinations_are_checked():
    assert problems_for("training.optimizer=adam", "training.learning_rate=5") == [
        "training.learning_rate: got 5 with training.optimizer=adam; adaptive optimizers (adagrad, rmsprop, adam) "
        "need at most 1"]
    # Plain SGD scales its step by the gradient, so a large learning rate is allowed there.
    assert schema.load(CONFIG_PATH, ["training.optimizer=sgd", "training.learning_rate=5"])


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        schema.load(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("training: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        schema.load(broken)
    missing_key = tmp_path / "partial.yaml"
    missing_key.write_text(CONFIG_PATH.read_text().replace("  epochs:", "  # epochs:"))
    assert ("training.epochs: missing (passes over the training set); expected an integer from 1 to 100000"
            in problems_from(missing_key))


def problems_from(path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        schema.load(path)
    return caught.value.problems


def test_field_descriptions():
    assert Field("float", minimum=0.0, maximum=1.0, below_maximum=True).allowed() == "a number from 0 to below 1"
    assert Field("int", minimum=1, optional=True).allowed() == "an integer of at least 1 or null"


@pytest.mark.parametrize(("typed", "value"), [("1e-4", 1e-4), ("1E-3", 1e-3), ("5e-1", 0.5), (".5", 0.5),
                                              ("+2.5e-1", 0.25), ("1.0e-4", 1e-4), ("1", 1)])
def test_numbers_as_people_write_them(tmp_path, typed, value):
    """PyYAML (YAML 1.1) would read 1e-4 as text; here it is a number in an override and in config.yaml alike."""
    assert schema.load(CONFIG_PATH, [f"training.learning_rate={typed}"])["training"]["learning_rate"] == value
    edited = tmp_path / "config.yaml"
    lines, section = [], None
    for line in CONFIG_PATH.read_text(encoding="utf-8").splitlines():
        section = line.split(":")[0] if line and not line.startswith((" ", "#")) else section
        lines.append(f"  learning_rate: {typed}" if section == "training" and line.startswith("  learning_rate:")
                     else line)
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert schema.load(edited)["training"]["learning_rate"] == value
    assert schema.load(CONFIG_PATH, ["training.epochs=5e2"])["training"]["epochs"] == 500  # a whole number


def test_every_bound_in_a_message_is_accepted_when_typed_back():
    (message,) = problems_for("training.learning_rate=0")
    assert message == "training.learning_rate: got 0; expected a number from 1e-8 to 10"
    low, high = message.split("from ")[1].split(" to ")
    cfg = schema.load(CONFIG_PATH, ["training.optimizer=sgd", f"training.learning_rate={low}"])
    assert cfg["training"]["learning_rate"] == 1e-8
    assert schema.load(CONFIG_PATH, ["training.optimizer=sgd", f"training.learning_rate={high}"])


def test_overrides_that_mix_up_sections_and_values():
    assert problems_for("training.epochs.more=3", "training=5") == [
        "override 'training.epochs.more=3': training.epochs is a value, not a section; set it as training.epochs=...",
        "override 'training=5': training is a section of the config, not a value; set one of its keys, for example "
        "training.epochs=..."]
    assert schema.load(CONFIG_PATH, ["training={epochs: 4, batch_size: 8}"])["training"]["epochs"] == 4


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda path: path.write_bytes("training:\n  epochs: 3 # trois époques\n".encode("latin-1")),
         "not UTF-8 text (byte 0xe9 on line 2); save the file as UTF-8"),
        (lambda path: path.mkdir(), "is a folder; expected a YAML file such as config.yaml"),
        (lambda path: path.write_text("training: [unclosed\n"), "not valid YAML (while parsing a flow sequence"),
        (lambda path: path.write_text("- just\n- a list\n"), "expected a mapping of keys to values"),
        (lambda path: path.write_text("[" * 5000), "nested too deeply to be a config"),
    ],
)
def test_a_bad_config_file_is_refused_with_its_name(capsys, tmp_path, write, message):
    path = tmp_path / "config.yaml"
    write(path)
    err = refused(capsys, tmp_path, "train", "--config", str(path))
    assert err.startswith(f"error: config file {path}: {message}") and len(err.splitlines()) == 1, err


def alias_bomb(levels: int, mapping: bool = False) -> str:
    """YAML of a few hundred characters that holds 9 ** levels ones: each anchor repeats the one before 9 times."""

    def repeated(item: str) -> str:
        if mapping:
            return "{" + ", ".join(f"{name}: {item}" for name in "abcdefghi") + "}"
        return f"[{', '.join([item] * 9)}]"

    nested = [f"&h0 {repeated('1')}", *(f"&h{level} {repeated(f'*h{level - 1}')}" for level in range(1, levels))]
    return f"[{', '.join(nested)}]"


def edited_config(tmp_path, old: str, new: str):
    path = tmp_path / "edited" / "config.yaml"
    path.parent.mkdir(exist_ok=True)
    text = CONFIG_PATH.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("levels", [7, 10])  # 7: 4.8 million ones, seconds to write out; 10: 3.5 billion, never
@pytest.mark.parametrize("where", ["config file", "override"])
def test_an_alias_bomb_in_a_choice_field_is_refused_at_once(capsys, tmp_path, levels, where):
    """A choice is one of its values as typed: any other type is refused before the value is written out (for the
    message or a did-you-mean), and the message shows its start only."""
    bomb = alias_bomb(levels)
    if where == "config file":
        args = ["explain", "--config", str(edited_config(tmp_path, "optimizer: adam", f"optimizer: {bomb}"))]
    else:
        args = ["explain", f"training.optimizer={bomb}"]
    started = time.perf_counter()
    err = refused(capsys, tmp_path, *args)
    assert time.perf_counter() - started < 1
    shown = "[[1, 1, 1, 1, 1, 1, 1, 1, 1], [[1, 1, 1, 1, 1, 1, 1, 1, 1], ..."  # its first 60 characters
    assert err == f"error: training.optimizer: got {shown}; expected one of sgd, momentum, adagrad, rmsprop, adam"


@pytest.mark.parametrize("where", ["config file", "override"])
def test_an_alias_bomb_of_mappings_is_one_problem(tmp_path, where):
    """Only the config's own sections are opened into keys: any other mapping is one value, never expanded."""
    bomb = alias_bomb(5, mapping=True)  # 59049 keys, each an unknown key (or a value that is no section) before
    if where == "config file":
        found = problems_from(edited_config(tmp_path, "seed: 42", f"seed: 42\nbomb: {bomb}"))
        assert found == ["bomb: unknown key"]
    else:
        (found,) = problems_for(f"training.optimizer={bomb}")
        assert found.startswith("training.optimizer: got [{a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1, h: 1, i: 1}, ")
        assert found.endswith("...; expected one of sgd, momentum, adagrad, rmsprop, adam")
    recursive = edited_config(tmp_path, "training:\n", "training: &training\n  again: *training\n")
    (found,) = problems_from(recursive)  # the section holds itself: it is opened once, not forever
    assert found.startswith("training.again: unknown key")
    typo = edited_config(tmp_path, "training:\n", "trainig:\n")
    assert problems_from(typo)[0] == "trainig: unknown key (did you mean training?)"


@pytest.mark.parametrize("field", ["seed", "training.learning_rate", "data.shuffle_buffer"])
@pytest.mark.parametrize("digits", ["1" + "0" * 5000, "-" + "9" * 5000, "0x" + "f" * 5000])
def test_a_number_too_long_to_read_is_refused_as_out_of_range(capsys, tmp_path, field, digits):
    """Python refuses to read an integer of more than 4300 digits; no setting needs one of 100 digits or more."""
    shown = f"{digits[:60]}... ({len(digits)} characters)"
    expected = {"seed": "an integer from 0 to 2147483647", "training.learning_rate": "a number from 1e-8 to 10",
                "data.shuffle_buffer": "an integer of at least 1 (of at most 99 digits)"}[field]
    err = refused(capsys, tmp_path, "explain", f"{field}={digits}")
    assert err == f"error: {field}: got {shown}; expected {expected}"
    name = field.split(".")[-1]
    path = edited_config(tmp_path, f"  {name}: " if "." in field else f"{name}: ",
                         f"  {name}: {digits} # " if "." in field else f"{name}: {digits} # ")
    assert problems_from(path) == [f"{field}: got {shown}; expected {expected}"]


def test_a_whole_float_too_large_for_any_setting_is_refused():
    """9999e300 is a whole number: of 304 digits, which config.yaml would not read back."""
    assert problems_for("data.shuffle_buffer=9999e300") == [
        "data.shuffle_buffer: got 9.999e+303; expected an integer of at least 1 (of at most 99 digits)"]
    assert schema.load(CONFIG_PATH, [f"data.shuffle_buffer={'9' * 99}"])["data"]["shuffle_buffer"] == 10**99 - 1


def test_showing_a_huge_integer_never_writes_it_out():
    assert shown_value(10**5000) == "an integer of about 5001 digits"
    assert shown_value([-(10**5000)]) == "[a negative integer of about 5001 digits]"


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  epochs: 2\n", "  epochs: 2\n  epochs: 3\n", "training.epochs appears twice (lines 17 and 18); keep one"),
        ("seed: 42\n", "seed: 42\nseed: 42\n", "seed appears twice (lines 4 and 5); keep one"),
        ("run:\n", "run:\n  log_gradients: true\n  log_gradients: false\n",
         "run.log_gradients appears 3 times (lines 32, 33 and 36); keep one"),
        ("distribute:\n", "training:\n  epochs: 3\ndistribute:\n",
         "the section training appears twice (lines 16 and 28); keep one, with all its keys"),
        ("seed: 42\n", "seed: 42\nextra: {a: 1, a: 2}\n", "extra.a appears twice (line 5); keep one"),
    ],
)
def test_a_key_given_twice_is_refused_with_its_lines(tmp_path, old, new, problem):
    """PyYAML keeps the last of a key given twice, silently; a section given twice lost the first's keys."""
    path = edited_config(tmp_path, old, new)
    assert problems_from(path) == [f"config file {path}: {problem}"]


def test_a_key_given_twice_in_an_override_is_refused():
    assert problems_for("training={epochs: 3, epochs: 4}") == [
        "override 'training={epochs: 3, epochs: 4}': epochs appears twice (line 1); keep one"]
    # A merge key may set a key that the mapping sets again: that is what merging is for.
    assert schema.load(CONFIG_PATH, ["training={<<: {epochs: 3}, epochs: 4}"])["training"]["epochs"] == 4


@pytest.mark.parametrize("value", ["!!int abc", "!!int 0x", "!!float ''", "!!timestamp soon", "!!bool maybe"])
def test_a_value_that_does_not_fit_its_tag_is_refused(tmp_path, value):
    """PyYAML's constructors fail with ValueError, IndexError, KeyError... on these: not valid YAML here."""
    path = edited_config(tmp_path, "seed: 42", f"seed: {value}")
    assert problems_from(path) == [f"config file {path}: not valid YAML (a value does not fit the type that its tag "
                                   f"names, as in !!int abc)"]
    assert problems_for(f"seed={value}") == [f"seed: got {value!r}; expected an integer from 0 to 2147483647"]
