"""config.yaml loading, overrides and the messages a mistake gets."""

from __future__ import annotations

import pytest
from standin import schema
from standin.runtime.config import parse_override
from standin.runtime.errors import ConfigError
from standin.runtime.fields import Field

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
