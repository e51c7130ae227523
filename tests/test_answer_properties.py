"""Any text as an answer gives a valid project or a clean refusal, never a traceback (property-based).

Each example runs cookiecutter's Python API in this process, hooks included, into a fresh folder.
"""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from .conftest import TEMPLATE

# cookiecutter renders every answer as a Jinja template before any hook runs (README.md), so text
# holding Jinja's delimiters is cookiecutter's business, not the hooks'.
JINJA = ("{{", "{%", "{#")
ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=30).filter(lambda text: not any(
    mark in text for mark in JINJA))
NUMBER_LIKE = st.one_of(st.integers(-10, 10**6).map(str), st.floats(allow_nan=True).map(repr),
                        st.from_regex(r"\A[-+ ]?[0-9._]{0,6}(e[-+]?[0-9]{1,2})?( #.*)?\Z", fullmatch=True))
# Prompt -> the config.yaml key a message may name instead, when config.yaml as a whole is checked.
NUMBER_FIELDS = {"epochs": "training.epochs", "batch_size": "training.batch_size",
                 "learning_rate": "training.learning_rate", "seed": "seed", "image_size": "data.image_size"}
PROPERTY = settings(max_examples=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def user_config(tmp_path_factory) -> str:
    """A cookiecutter user config that keeps its replay files out of the home folder."""
    folder = tmp_path_factory.mktemp("cookiecutter_home")
    path = folder / "config.yaml"
    path.write_text(f"cookiecutters_dir: {folder / 'templates'}\nreplay_dir: {folder / 'replay'}\n")
    return str(path)


def generate(output_dir: str, user_config: str, **answers) -> Path | None:
    """The project made from these answers, or None if they were refused (stderr then says why)."""
    try:
        return Path(cookiecutter(str(TEMPLATE), no_input=True, extra_context=answers, output_dir=output_dir,
                                 config_file=user_config))
    except SystemExit as refusal:  # keras_classics_jinja refused the folder name
        assert refusal.code == 1
    except FailedHookException:
        pass
    assert list(Path(output_dir).iterdir()) == [], "a refused answer must leave nothing behind"
    event("refused")  # pytest --hypothesis-show-statistics counts how often each outcome was tried
    return None


def assert_valid(project: Path) -> dict:
    event("generated")
    for path in project.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    assert yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))
    return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))


def refusal_fields(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert lines and all(line.startswith("error: ") for line in lines), stderr
    return [line.split(":")[1].strip() for line in lines]


@PROPERTY
@given(field=st.sampled_from(["project_name", "author", "description"]), text=ANY_TEXT)
def test_any_text_answer(capfd, user_config, field, text):
    capfd.readouterr()
    with tempfile.TemporaryDirectory() as output_dir:
        project = generate(output_dir, user_config, project_slug="text_net", **{field: text})
        if project is None:
            assert refusal_fields(capfd.readouterr().err) == [field]
            return
        pyproject = assert_valid(project)
        if field == "project_name":
            assert (project / "README.md").read_text(encoding="utf-8").startswith(f"# {text}\n")
        elif field == "author":
            assert pyproject["project"]["authors"] == [{"name": text}]
        else:
            assert pyproject["project"]["description"] == text


@PROPERTY
@given(text=ANY_TEXT)
def test_any_project_name_with_the_folder_and_package_named_from_it(capfd, user_config, text):
    capfd.readouterr()
    with tempfile.TemporaryDirectory() as output_dir:
        project = generate(output_dir, user_config, project_name=text)
        if project is None:
            fields = refusal_fields(capfd.readouterr().err)
            assert set(fields) <= {"project_name", "project_slug", "package_name"}, fields
            return
        pyproject = assert_valid(project)
        assert pyproject["project"]["name"] == project.name.replace("_", "-")
        assert (project / "src" / project.name).is_dir()


@PROPERTY
@given(field=st.sampled_from(sorted(NUMBER_FIELDS)), text=st.one_of(ANY_TEXT, NUMBER_LIKE))
def test_any_text_as_a_number_answer(capfd, user_config, field, text):
    """On the dcgan project, whose config.yaml holds every number answer (image_size only there)."""
    capfd.readouterr()
    with tempfile.TemporaryDirectory() as output_dir:
        project = generate(output_dir, user_config, architecture="dcgan", **{field: text})
        if project is None:
            assert refusal_fields(capfd.readouterr().err) in ([field], [NUMBER_FIELDS[field]])
            return
        assert_valid(project)
