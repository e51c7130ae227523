"""Every refusal of the hooks: its one-line message, a non-zero exit, and nothing left behind."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ARCHITECTURES, BIN, TEMPLATE, cookiecutter_cli
from .dependency_modules import LIST, dependency_modules

LONG = "a" * 300


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["project_slug=1st_net"], "error: project_slug: got '1st_net'; expected a Python identifier"),
        (["project_slug=my-net"], "error: project_slug: got 'my-net'; expected a Python identifier"),
        (["package_name=class"], "error: package_name: got 'class'; that is a Python keyword"),
        (["package_name=match"], "error: package_name: got 'match'; that is a Python keyword"),
        (["package_name=numpy"], "error: package_name: got 'numpy'; it would hide the module 'numpy'"),
        (["package_name=yaml"], "error: package_name: got 'yaml'; it would hide the module 'yaml'"),
        (["package_name=json"], "error: package_name: got 'json'; it would hide the module 'json'"),
        (["project_slug=train"], "error: project_slug: got 'train'; it would hide the module 'train'"),
        (["package_name=ünï"], "error: package_name: got 'ünï'; expected a Python identifier"),
        # Modules that the project's dependencies import, not only the project itself (hooks/dependency_modules.txt).
        (["package_name=rich"], "error: package_name: got 'rich'; it would hide the module 'rich'"),
        (["package_name=PIL"], "error: package_name: got 'PIL'; it would hide the module 'PIL'"),
        (["package_name=requests"], "error: package_name: got 'requests'; it would hide the module 'requests'"),
        (["project_slug=tqdm"], "error: project_slug: got 'tqdm'; it would hide the module 'tqdm'"),
        (["project_slug=six"], "error: project_slug: got 'six'; it would hide the module 'six'"),
        (["project_slug=wrapt"], "error: project_slug: got 'wrapt'; it would hide the module 'wrapt'"),
        # cookiecutter makes the project's folder before any hook: these are refused as it is named.
        (["project_slug=a/b"], "error: project_slug: got 'a/b'; expected a Python identifier (letters, digits"),
        (["project_slug=../up"], "error: project_slug: got '../up'; expected a Python identifier"),
        ([f"project_slug={LONG}"], f"error: project_slug: got {LONG[:40]!r}... (300 characters); expected at most "
                                   f"64 characters"),
        ([f"package_name={LONG}"], f"error: package_name: got {LONG[:40]!r}... (300 characters); expected at most "
                                   f"64 characters"),
        ([f"project_name={LONG}"], f"error: project_name: got {LONG[:40]!r}... (300 characters); expected at most "
                                   f"200 characters"),
        # A byte that is not UTF-8 on the command line reaches Python as a lone surrogate.
        (["project_name=caf\udce9"], "error: project_name: got 'caf\\udce9'; expected UTF-8 text (it holds an "
                                     "undecodable byte: check the terminal's encoding)"),
        (["author=caf\udce9"], "error: author: got 'caf\\udce9'; expected UTF-8 text"),
        (["description=two\nlines"], "error: description: got 'two\\nlines'; expected a single line without "
                                     "control characters"),
        (["epochs=5\n..."], "error: epochs: got '5\\n...'; expected an integer from 1 to 100000"),
        (["epochs=abc"], "error: epochs: got 'abc'; expected an integer from 1 to 100000"),
        (["epochs=0"], "error: epochs: got 0; expected an integer from 1 to 100000"),
        (["epochs=2.5"], "error: epochs: got 2.5; expected an integer from 1 to 100000"),
        (["batch_size=-8"], "error: batch_size: got -8; expected an integer from 1 to 65536"),
        (["learning_rate=fast"], "error: learning_rate: got 'fast'; expected a number from 1e-8 to 10"),
        (["learning_rate=0"], "error: learning_rate: got 0; expected a number from 1e-8 to 10"),
        (["seed=-1"], "error: seed: got -1; expected an integer from 0 to 2147483647"),
        (["author= "], "error: author: got ' '; expected a non-empty text"),
        (["optimizer=adam", "learning_rate=5"],
         "error: training.learning_rate: got 5 with training.optimizer=adam; adaptive optimizers"),
        (["image_size=28: [1]"], "error: image_size: got {28: [1]}; expected an integer from 12 to 1024"),
        (["image_size=²"], "error: image_size: got '²'; expected an integer from 12 to 1024"),
        # Refused by the dcgan's own schema, on config.yaml as it would be written: the generator cannot grow to 30.
        (["architecture=dcgan", "image_size=30"], "error: data.image_size: got 30; 30 is not a start of 3-8 pixels "
                                                  "doubled at least twice"),
    ],
)
def test_pre_gen_refusals(tmp_path, answers, message):
    result = cookiecutter_cli(tmp_path / "out", *answers)
    assert result.returncode == 1
    lines = result.stderr.splitlines()  # a project_slug problem is package_name's too, unless that is given
    assert all(line.startswith("error: ") for line in lines), result.stderr
    assert any(line.startswith(message) for line in lines), result.stderr
    left = [path.relative_to(tmp_path) for path in tmp_path.rglob("*")]
    assert left in ([], [Path("out")]), f"a refused answer must leave nothing behind, left {left}"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("optimizer=adamw", "adamw provided for choice variable optimizer, but the choices are ['adam', 'sgd'"),
        ("distribute=tpu", "tpu provided for choice variable distribute, but the choices are ['auto', 'none'"),
        ("architecture=resnet", "resnet provided for choice variable architecture, but the choices are ['mnist_mlp'"),
        ("license=WTFPL", "WTFPL provided for choice variable license, but the choices are ['MIT'"),
        ("rnn_cell=rnn", "rnn provided for choice variable rnn_cell, but the choices are ['lstm', 'gru', 'simple']"),
        ("image_channels=2", "2 provided for choice variable image_channels, but the choices are ['1', '3']"),
    ],
)
def test_choice_answers_outside_the_list_are_refused_by_cookiecutter(tmp_path, answer, message):
    """cookiecutter itself refuses these before the hooks run; the pre-gen hook checks them again for
    answers that arrive another way (a replay file, the Python API)."""
    result = cookiecutter_cli(tmp_path / "out", answer)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert list((tmp_path / "out").glob("*")) == []


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (["package_name=class"], "error: package_name: got 'class'; that is a Python keyword"),
        (["epochs=abc", "learning_rate=x"], "error: epochs: got 'abc'; expected an integer from 1 to 100000"),
    ],
)
def test_a_refusal_shows_no_traceback(tmp_path, answers, message):
    """keras_classics_jinja.py drops cookiecutter's log of the failed hook: the user sees the hook's lines and
    cookiecutter's one line `Hook script failed (exit status: 1)`, not its FailedHookException traceback."""
    result = cookiecutter_cli(tmp_path / "out", *answers)
    assert result.returncode == 1
    assert any(line.startswith(message) for line in result.stderr.splitlines()), result.stderr
    shown = result.stdout + result.stderr
    assert "Traceback" not in shown and "FailedHookException" not in shown, shown
    assert result.stdout.splitlines() == ["Hook script failed (exit status: 1)"], result.stdout
    assert list((tmp_path / "out").glob("*")) == []


def test_verbose_still_shows_the_traceback_of_a_refusal(tmp_path):
    result = cookiecutter_cli(tmp_path / "out", "--verbose", "package_name=class")
    assert result.returncode == 1
    assert "error: package_name: got 'class'" in result.stderr
    assert "Traceback" in result.stdout and "FailedHookException" in result.stdout, result.stdout


def test_every_problem_gets_its_own_line(tmp_path):
    result = cookiecutter_cli(tmp_path / "out", "epochs=x", "batch_size=y", "package_name=for")
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [line.split(":")[1].strip() for line in errors] == ["package_name", "epochs", "batch_size"]


def test_post_gen_refuses_an_invalid_config_and_leaves_nothing(tmp_path):
    """A template whose rendered config is wrong: the user sees train.py's own message, no project remains."""
    template = tmp_path / "template"
    shutil.copytree(TEMPLATE, template, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__"))
    config = next(template.glob("*/architectures/mnist_mlp/config.yaml"))
    config.write_text(config.read_text().replace("dropout: 0.3", "dropout: 2"))
    result = cookiecutter_cli(tmp_path / "out", template=template)
    assert result.returncode != 0
    assert "error: model.dropout: got 2; expected a number from 0 to below 1" in result.stderr
    assert not (tmp_path / "out" / "mnist_classic").exists()


def test_post_gen_refuses_code_that_does_not_compile(tmp_path):
    template = tmp_path / "template"
    shutil.copytree(TEMPLATE, template, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__"))
    model = next(template.glob("*/architectures/mnist_mlp/src/*/model.py"))
    model.write_text(model.read_text() + "\ndef broken(:\n")
    result = cookiecutter_cli(tmp_path / "out", template=template)
    assert result.returncode != 0
    assert "model.py does not compile" in result.stderr
    assert not (tmp_path / "out" / "mnist_classic").exists()


def test_answers_are_read_as_data_in_the_hook(tmp_path):
    """A quote-laden name would break a hook that pasted it into Python; here it just renders."""
    result = cookiecutter_cli(tmp_path / "out", 'project_name=a"""b\'\'\'c\\', "project_slug=quoted_net")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "quoted_net" / "train.py").is_file()


def test_post_gen_refuses_a_pyproject_that_is_not_toml(tmp_path):
    template = tmp_path / "template"
    shutil.copytree(TEMPLATE, template, ignore=shutil.ignore_patterns(".venv", ".git", "build", "__pycache__"))
    pyproject = next(template.glob("*/pyproject.toml"))
    pyproject.write_text(pyproject.read_text() + '\nbroken = "\n')
    result = cookiecutter_cli(tmp_path / "out", template=template)
    assert result.returncode != 0
    assert result.stderr.startswith("error: pyproject.toml is not valid TOML: "), result.stderr
    assert "Traceback" not in result.stdout + result.stderr, result.stdout  # the post-gen hook's log is dropped too
    assert not (tmp_path / "out" / "mnist_classic").exists()


def files_and_times(project: Path) -> dict[str, tuple[bytes, int]]:
    return {str(path.relative_to(project)): (path.read_bytes() if path.is_file() else b"", path.stat().st_mtime_ns)
            for path in project.rglob("*")}


@pytest.mark.parametrize("answer", ["image_size=30", "author=caf\udce9", "learning_rate=5"])
def test_a_refused_answer_leaves_an_existing_project_unchanged(tmp_path, answer):
    """`cookiecutter -f` writes over an existing project: every check must come before the first file."""
    out = tmp_path / "out"
    assert cookiecutter_cli(out, "architecture=dcgan").returncode == 0
    project = out / "mnist_classic"
    before = files_and_times(project)
    result = cookiecutter_cli(out, "--overwrite-if-exists", "architecture=dcgan", answer)
    assert result.returncode == 1 and result.stderr.startswith("error: "), result.stderr
    assert files_and_times(project) == before
    # The same command with an accepted answer does rewrite the project: the comparison above can see it.
    assert cookiecutter_cli(out, "--overwrite-if-exists", "architecture=dcgan", "image_size=32").returncode == 0
    assert "image_size: 32 " in (project / "config.yaml").read_text()
    assert files_and_times(project) != before


def test_dependency_module_list_is_current():
    """The pre-gen hook refuses names of the modules in hooks/dependency_modules.txt; they must be all of them."""
    written = [line for line in LIST.read_text().splitlines() if not line.startswith("#")]
    assert written == dependency_modules(), (
        "hooks/dependency_modules.txt is out of date: run .venv/bin/python -m tests.dependency_modules")


def test_command_line_answers_are_jinja_templates_to_cookiecutter(tmp_path):
    """As README.md says: cookiecutter renders a key=value answer before any hook sees it; a typed one stays text."""
    result = cookiecutter_cli(tmp_path / "out", "project_name=Net {{ 7*7 }}", "project_slug=given")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "given" / "README.md").read_text(encoding="utf-8").startswith("# Net 49\n")
    typed = subprocess.run([str(BIN / "cookiecutter"), "--output-dir", str(tmp_path / "out"), str(TEMPLATE)],
                           input="\nNet {{ 7*7 }}\ntyped\n" + "\n" * 30, capture_output=True, text=True, timeout=120)
    assert typed.returncode == 0, typed.stderr
    assert (tmp_path / "out" / "typed" / "README.md").read_text(encoding="utf-8").startswith("# Net {{ 7*7 }}\n")


def test_every_prompt_is_in_english_and_chinese():
    """The language a learner reads is not known while the prompts are asked: each says it both ways."""
    prompts = json.loads((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8"))["__prompts__"]
    texts = [text for prompt in prompts.values()
             for text in (prompt.values() if isinstance(prompt, dict) else [prompt])]
    for text in texts:
        english, _, chinese = text.partition(" / ")
        assert re.search(r"[A-Za-z]{2}", english) and re.search(r"[\u4e00-\u9fff]", chinese), text
        assert not re.search(r"[\u4e00-\u9fff]", english), text


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_each_architecture_renders_from_typed_answers(tmp_path, architecture):
    """A learner's first screen: every prompt answered by typing (Enter keeps the default), the network by its
    number in the list."""
    number = ARCHITECTURES.index(architecture) + 1
    typed = subprocess.run([str(BIN / "cookiecutter"), "--output-dir", str(tmp_path), str(TEMPLATE)],
                           input=f"\nTyped net\n\n\n\n\n\n{number}\n" + "\n" * 20, capture_output=True, text=True,
                           timeout=120)
    assert typed.returncode == 0, typed.stderr[-2000:]
    assert "选择哪个经典网络" in typed.stdout
    config = (tmp_path / "typed_net" / "config.yaml").read_text(encoding="utf-8")
    assert f"architecture: {architecture} " in config, config[:400]
