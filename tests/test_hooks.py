"""Every refusal of the hooks: its one-line message, a non-zero exit, and nothing left behind."""

from __future__ import annotations

import shutil

import pytest

from .conftest import TEMPLATE, cookiecutter_cli


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
        (["epochs=abc"], "error: epochs: got 'abc'; expected an integer from 1 to 100000"),
        (["epochs=0"], "error: epochs: got 0; expected an integer from 1 to 100000"),
        (["epochs=2.5"], "error: epochs: got 2.5; expected an integer from 1 to 100000"),
        (["batch_size=-8"], "error: batch_size: got -8; expected an integer from 1 to 65536"),
        (["learning_rate=fast"], "error: learning_rate: got 'fast'; expected a number from 1e-08 to 10"),
        (["learning_rate=0"], "error: learning_rate: got 0; expected a number from 1e-08 to 10"),
        (["seed=-1"], "error: seed: got -1; expected an integer from 0 to 2147483647"),
        (["author= "], "error: author: got ' '; expected a non-empty text"),
        (["optimizer=adam", "learning_rate=5"],
         "error: training.learning_rate: got 5 with training.optimizer=adam; adaptive optimizers"),
        (["image_size=28: [1]"], "error: image_size: got '28: [1]'; expected a whole number of pixels from 12 to 1024"),
        # Generated, then refused by the dcgan's own schema: the generator cannot grow to 30 pixels.
        (["architecture=dcgan", "image_size=30"], "error: data.image_size: got 30; 30 is not a start of 3-8 pixels "
                                                  "doubled at least twice"),
    ],
)
def test_pre_gen_refusals(tmp_path, answers, message):
    result = cookiecutter_cli(tmp_path / "out", *answers)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert list((tmp_path / "out").glob("*")) == [], "a refused answer must leave no project behind"


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("optimizer=adamw", "adamw provided for choice variable optimizer, but the choices are ['adam', 'sgd'"),
        ("distribute=tpu", "tpu provided for choice variable distribute, but the choices are ['auto', 'none'"),
        ("architecture=resnet", "resnet provided for choice variable architecture, but the choices are ['mnist_mlp'"),
        ("license=WTFPL", "WTFPL provided for choice variable license, but the choices are ['MIT'"),
        ("rnn_cell=rnn", "rnn provided for choice variable rnn_cell, but the choices are ['lstm', 'gru']"),
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
