"""A project generated with `language=zh`: what a learner reads is Chinese (README, config.yaml's comments,
--help with argparse's own words, refusals, plots), without running its suite again: the catalogs themselves are
checked in test_catalogs.py, the English projects' behaviour everywhere else."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
import warnings
from pathlib import Path

import jinja2
import numpy as np
import pytest
import yaml

from .conftest import ARCHITECTURES, TEMPLATE

# English prose: three lowercase words or more in a row. Names (MNIST, LeNet-5, Noto Sans CJK), setting names,
# commands and file names are not prose and stay as they are.
PROSE = re.compile(r"(?<![\w./=-])[a-z]{2,}(?: [a-z]{2,}){2,}(?![\w./=-])")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def english_prose(text: str) -> list[str]:
    """The prose left in `text` once code (fenced blocks, `inline`), links' targets, URLs and the titles of the papers
    cited (in Chinese quotation marks, as Chinese writing cites an English title) are taken out."""
    text = re.sub(r"```.*?```", " ", text, flags=re.DOTALL)
    text = re.sub(r"“[^”]*”", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)|https?://\S+", " ", text)
    return PROSE.findall(text)


def render(architecture: str, name: str, language: str) -> str:
    project = TEMPLATE / "{{cookiecutter.project_slug}}"
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader([project, TEMPLATE / "templates"]),
                                     undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    answers = {**yaml.safe_load((TEMPLATE / "cookiecutter.json").read_text(encoding="utf-8").replace("\t", " ")),
               "architecture": architecture, "language": language}
    answers = {key: value[0] if isinstance(value, list) else value for key, value in answers.items()}
    return environment.get_template(f"architectures/{architecture}/{name}").render(cookiecutter=answers)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_the_chinese_config_has_the_same_settings_with_chinese_comments(architecture):
    english = render(architecture, "config.yaml", "en")
    chinese = render(architecture, "config.zh.yaml", "zh")
    assert yaml.safe_load(chinese) == {**yaml.safe_load(english), "language": "zh"}
    comments = "\n".join(line.partition("#")[2] for line in chinese.splitlines() if "#" in line)
    assert CHINESE.search(comments) and not english_prose(comments)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_a_chinese_project_reads_chinese(chinese_project, architecture):
    project = chinese_project(architecture)
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert CHINESE.search(readme) and not english_prose(readme)
    config = (project / "config.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(config)["language"] == "zh" and CHINESE.search(config)
    for path in ("README.md", "config.yaml", "notebooks/walkthrough.ipynb"):
        text = (project / path).read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text, f"{path} was not rendered"
    package = project / "src" / f"zh_{architecture}"
    for catalog in ("runtime/locale/zh/LC_MESSAGES/runtime.mo", "locale/zh/LC_MESSAGES/lesson.mo"):
        assert (package / catalog).is_file(), catalog


@pytest.fixture
def chinese_package(chinese_project):
    """Import a Chinese project's package in this process, speaking Chinese; English again after."""
    loaded = []

    def load(architecture: str):
        name = f"zh_{architecture}"
        folder = chinese_project(architecture) / "src" / name
        assert (folder / "__init__.py").is_file(), f"{folder} is gone"
        # Imported from its folder, not through sys.path: each test process imports several such packages.
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
        i18n = importlib.import_module(f"{name}.runtime.i18n")
        i18n.use("zh")
        loaded.append((name, i18n))
        return importlib.import_module(f"{name}.lesson").LESSON, importlib.import_module(f"{name}.runtime.cli")

    yield load
    for name, i18n in loaded:
        i18n.use("en")
        for module in [module for module in sys.modules if module == name or module.startswith(name + ".")]:
            del sys.modules[module]


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_help_and_a_refusal_are_chinese(chinese_package, architecture, capsys, monkeypatch):
    lesson, cli = chinese_package(architecture)
    monkeypatch.delenv("KERAS_CLASSICS_LANGUAGE", raising=False)
    commands = [[], ["evaluate"], ["explain"], ["compare"], *([[lesson.command.COMMAND]] if lesson.command else [])]
    for command in commands:
        with pytest.raises(SystemExit) as done:
            cli.main(lesson, [*command, "--help"])
        assert done.value.code == 0
        shown = capsys.readouterr().out
        assert "用法" in shown and not english_prose(shown), (command, english_prose(shown), shown)
    config = Path(sys.modules[lesson.__module__].__file__).parents[2] / "config.yaml"
    assert cli.main(lesson, ["explain", "--config", str(config), "training.epochs=0", "training.optimizr=adam"]) == 2
    refused = capsys.readouterr().err
    assert "training.epochs" in refused and "training.optimizr" in refused and "training.optimizer" in refused
    assert CHINESE.search(refused) and not english_prose(refused), refused


def test_chinese_plots_have_a_glyph_for_every_character(chinese_package, tmp_path):
    """matplotlib warns of a character its fonts cannot draw (and draws a box): here that fails the test."""
    chinese_package("mnist_mlp")
    plots = sys.modules["zh_mnist_mlp.runtime.plots"]
    confusion = importlib.import_module("zh_mnist_mlp.runtime.confusion_matrix")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plots.plot_history({"epoch": [0, 1], "loss": [0.5, 0.3], "val_loss": [0.6, 0.4], "accuracy": [0.8, 0.9],
                            "val_accuracy": [0.7, 0.85]}, tmp_path / "curves.png")
        confusion.plot_confusion_matrix(np.eye(3, dtype=int) * 5, ["0", "1", "2"], tmp_path / "confusion_matrix.png")
    assert (tmp_path / "curves.png").stat().st_size > 1000
