"""Render every architecture and the main option combinations; check what comes out."""

from __future__ import annotations

import ast
import difflib
import importlib
import json
import re
import runpy
import subprocess
import sys
import tomllib

import pytest
import yaml

from . import reference
from .conftest import ARCHITECTURES, BIN, TEMPLATE

COMMON_FILES = {"README.md", "pyproject.toml", "config.yaml", "train.py", "cluster/train.sbatch",
                "cluster/tfjob.yaml", "notebooks/walkthrough.ipynb"}
# The runtime: the same files, byte for byte, in every project (test_the_runtime_is_the_same_in_every_project).
RUNTIME_FILES = {f"runtime/{name}.py" for name in (
    "__init__", "backup", "callbacks", "classify", "cli", "cluster", "comparison", "comparison_runs", "compile_choice",
    "config", "confusion_matrix", "data_sources", "devices", "errors", "fields", "gradients", "image_folders",
    "layer_cost", "lesson", "multi_worker", "npy_images", "npz_files", "plots", "progress", "quiet", "run_files",
    "run_lock", "shapes", "start", "storage", "text_files", "training", "i18n", "wide_text", "values")}
RUNTIME_FILES |= {"runtime/REFERENCE.md", "runtime/locale/zh/LC_MESSAGES/runtime.mo"}
# The lesson: what every project has of its own, then what each architecture adds.
PACKAGE_FILES = {"__init__.py", "lesson.py", "evaluation.py", "schema.py", "architecture.py", "data.py", "model.py",
                 "tests/__init__.py", "tests/conftest.py", "tests/quick.py", "tests/test_lesson.py",
                 "tests/test_model.py", "tests/test_data.py", "tests/test_predict.py",
                 "locale/zh/LC_MESSAGES/lesson.mo", *RUNTIME_FILES}
# What each shared group (architectures/_<group>/, cookiecutter.json's _shared_folders) adds.
MNIST_FILES = {"data_fields.py"}
CONVOLUTION = {"conv_shapes.py"}
SHIFT = {"random_shift.py", "tests/test_random_shift.py"}
RECURRENT = {"recurrent.py", "tests/test_recurrent.py"}
EXTRA_PACKAGE_FILES: dict[str, set[str]] = {
    "mnist_mlp": MNIST_FILES | SHIFT,
    "lenet5": MNIST_FILES | CONVOLUTION | SHIFT | {"layers.py"},
    "alexnet": CONVOLUTION | {"layers.py", "tests/test_layers.py"},
    "rnn_sentiment": RECURRENT | {"prediction.py", "step_gradients.py", "tests/test_step_gradients.py"},
    "seq2seq_translation": RECURRENT | {"tokens.py", "decoding.py", "prediction.py"},
    "dbn": MNIST_FILES | {"layers.py", "pretraining.py", "tests/test_layers.py", "tests/test_pretraining.py",
            "tests/test_strategy.py"},
    "dcgan": CONVOLUTION | {"quality.py", "prediction.py", "tests/test_quality.py", "tests/test_strategy.py"},
    "autoencoder": MNIST_FILES | {"pretraining.py", "swiss_roll.py", "pca.py", "neighbours.py", "encoding.py",
                    "tests/test_pretraining.py", "tests/test_measures.py", "tests/test_swiss_roll.py"},
    "perceptron": {"boundary.py", "prediction.py"},
}

OPTIMIZERS = ["adam", "sgd", "momentum", "adagrad", "rmsprop"]
STRATEGIES = ["auto", "none", "mirrored", "multi_worker"]
# Every pair of answers, not every triple: each architecture with each optimizer, its strategies in turn (shifted
# per architecture), so each architecture meets each strategy and each optimizer each strategy (35 bakes, not 140;
# no answer depends on a third).
OPTIONS = [(architecture, optimizer, STRATEGIES[(row + column) % len(STRATEGIES)])
           for row, architecture in enumerate(ARCHITECTURES) for column, optimizer in enumerate(OPTIMIZERS)]


def files_of(project):
    return {str(path.relative_to(project)) for path in project.rglob("*") if path.is_file()}


@pytest.mark.parametrize(("architecture", "optimizer", "distribute"), OPTIONS)
def test_render_layout_and_config(bake, architecture, optimizer, distribute):
    project = bake(architecture=architecture, optimizer=optimizer, distribute=distribute, project_name="My Net")
    package = "my_net"
    expected = COMMON_FILES | {f"src/{package}/{name}" for name in PACKAGE_FILES | EXTRA_PACKAGE_FILES[architecture]}
    assert files_of(project) == expected
    config = yaml.safe_load((project / "config.yaml").read_text())
    assert config["architecture"] == architecture
    assert config["training"]["optimizer"] == optimizer
    assert config["distribute"]["strategy"] == distribute
    for path in project.rglob("*"):
        if path.is_file() and path.suffix != ".mo":  # a compiled catalog is binary (its source: i18n/zh/*.po)
            text = path.read_text(encoding="utf-8")
            assert "{{" not in text and "{%" not in text, f"unrendered Jinja in {path.relative_to(project)}"
            if path.suffix == ".py":
                compile(text, str(path), "exec")


@pytest.mark.parametrize("architecture", ["rnn_sentiment", "seq2seq_translation"])
@pytest.mark.parametrize("rnn_cell", ["lstm", "gru", "simple"])
def test_rnn_cell_answer_reaches_the_config(bake, architecture, rnn_cell):
    project = bake(architecture=architecture, rnn_cell=rnn_cell)
    assert yaml.safe_load((project / "config.yaml").read_text())["model"]["rnn_cell"] == rnn_cell


def test_the_cell_prompt_the_hook_and_the_projects_name_the_same_cells():
    choices = json.loads((TEMPLATE / "cookiecutter.json").read_text())["rnn_cell"]
    (recurrent,) = TEMPLATE.glob("*project_slug*/architectures/_rnn/src/*/recurrent.py")
    hook = ast.parse((TEMPLATE / "hooks" / "pre_gen_project.py").read_text())
    (checked,) = [ast.literal_eval(node.value) for node in hook.body if isinstance(node, ast.Assign)
                  and [getattr(target, "id", None) for target in node.targets] == ["RNN_CELLS"]]
    assert tuple(choices) == runpy.run_path(str(recurrent))["CELLS"] == checked


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_generated_code_passes_ruff(bake, architecture):
    project = bake(architecture=architecture)
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", "."], cwd=project, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_template_code_passes_ruff():
    paths = ["hooks", "tests", "benchmarks", "i18n", "walkthroughs.py", "keras_classics_jinja.py"]
    result = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", *paths], cwd=TEMPLATE, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "name",
    ['Ünïcode Ñet', 'Bob\'s "quoted" net', 'back\\slash\\net', 'yaml: #comment [list] {map} &anchor *ref',
     'toml = "x" [table] """triple"""', "tab-free 'single' '''triple'''", "Rocket 🚀 Net 👩‍🚀 𝔘𝔫𝔦"],
)
def test_awkward_project_names_give_valid_files(bake, name):
    project = bake(project_name=name)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"].replace("-", "_").isidentifier()
    assert yaml.safe_load((project / "config.yaml").read_text(encoding="utf-8"))["architecture"]
    assert name in (project / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("description", "author"),
    [('A "net" with \\backslashes\\, quotes \' and ünicode: [x] = {y}', "Zoë O'Brien \"ZO\""),
     # Beyond the Basic Multilingual Plane: Jinja's tojson would write surrogate pairs, which TOML refuses.
     ("A rocket 🚀 that draws 𝔡𝔦𝔤𝔦𝔱𝔰", "Ada 👩‍🚀 \U0010fffd")],
)
def test_description_and_author_reach_pyproject_exactly(bake, description, author):
    project = bake(description=description, author=author)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == description
    assert pyproject["project"]["authors"] == [{"name": author}]


def test_an_answer_that_looks_like_code_stays_data(bake, tmp_path):
    marker = tmp_path / "HOOK_RAN_CODE"
    payload = f'x"""; import pathlib; pathlib.Path("{marker}").touch(); """' + "'''; import os #"
    project = bake(project_name=payload, project_slug="payload_net")
    assert not marker.exists()
    assert payload in (project / "README.md").read_text(encoding="utf-8")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "payload-net"


def test_slug_and_package_are_derived_and_overridable(bake):
    assert bake(project_name="Café Net 2").name == "cafe_net_2"
    # A long name gives a folder name within its limit (64 characters), cut at a word.
    assert bake(project_name="Deep Belief " * 8 + "Nets").name == "deep_belief_" * 5 + "deep"
    project = bake(project_name="Anything", project_slug="my_project", package_name="my_package")
    assert project.name == "my_project" and (project / "src" / "my_package" / "lesson.py").is_file()


def test_image_answers_reach_the_dcgan_config(bake):
    project = bake(architecture="dcgan", image_size=64, image_channels=3)
    data = yaml.safe_load((project / "config.yaml").read_text())["data"]
    assert (data["image_size"], data["channels"]) == (64, 3)


@pytest.mark.parametrize(("typed", "value"), [("1e-4", 1e-4), ("1E-3", 1e-3), (".05", 0.05), ("5e-1", 0.5)])
def test_a_learning_rate_answer_as_people_write_it(bake, typed, value):
    """The project reads config.yaml with its own config.py, where 1e-4 is a number (PyYAML alone reads text)."""
    project = bake(learning_rate=typed)
    sys.path.insert(0, str(project / "src"))
    try:
        schema = importlib.import_module(f"{project.name}.schema")
        assert schema.load(project / "config.yaml")["training"]["learning_rate"] == value
    finally:
        sys.path.remove(str(project / "src"))
        for name in [name for name in sys.modules if name.split(".")[0] == project.name]:
            del sys.modules[name]


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_each_rendering_matches_its_reference(tmp_path, architecture):
    """tests/reference/<architecture>.txt: the files of a default rendering and their lengths (make reference)."""
    expected = (reference.REFERENCE / f"{architecture}.txt").read_text(encoding="utf-8")
    actual = reference.summary(reference.render(architecture, tmp_path))
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"tests/reference/{architecture}.txt", "this rendering"))
    assert actual == expected, f"the rendering changed; if that is meant, run `make reference`:\n{diff}"


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_the_reading_path_names_the_projects_own_files(bake, architecture):
    project = bake(architecture=architecture)
    readme = (project / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Reading one training run")[1].split("\n### ")[0]
    named = set(re.findall(r"`([a-z_]+\.py)`", section))
    assert {"lesson.py", "schema.py", "data.py", "model.py"} <= named
    assert {name for name in named if not (project / "src" / project.name / name).is_file()} == set()
    assert section.index("`lesson.py`") < min(section.index(f"`{name}`") for name in named - {"lesson.py"}), \
        "the reading path starts at the top-down file"


def test_the_runtime_is_the_same_in_every_project(bake):
    """Copied as it is (never rendered), byte for byte, whatever the architecture and the names."""
    contents = set()
    for architecture in ARCHITECTURES:
        project = bake(architecture=architecture, project_name=f"Net {architecture}")
        runtime = project / "src" / project.name / "runtime"
        files = {path.relative_to(runtime).as_posix(): path.read_bytes() for path in runtime.rglob("*")
                 if path.is_file()}
        assert {f"runtime/{name}" for name in files} == RUNTIME_FILES
        contents.add(tuple(sorted(files.items())))
    assert len(contents) == 1
    named = {path.name: sorted(set(re.findall(rf"\b({'|'.join(ARCHITECTURES)})\b", text)))
             for path, text in ((path, path.read_text(encoding="utf-8")) for path in runtime.glob("*.py"))}
    assert {name: found for name, found in named.items() if found} == {}, "the runtime names no architecture"
    assert import_cycles(runtime) == [], "a runtime module that imports, through others, itself"


def import_cycles(package) -> list[list[str]]:
    """Cycles among a package's modules through its relative imports (inside functions too)."""
    graph = {}
    for path in package.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                found |= {node.module} if node.module else {alias.name for alias in node.names}
        graph[path.stem] = found & {other.stem for other in package.glob("*.py")}
    cycles, done = [], set()

    def walk(module, trail):
        if module in trail:
            cycles.append(trail[trail.index(module):])
        elif module not in done:
            for imported in sorted(graph[module]):
                walk(imported, [*trail, module])
            done.add(module)

    for module in sorted(graph):
        walk(module, [])
    return cycles


def test_the_readme_table_gives_each_renderings_lines_of_python():
    """Per architecture, the learner's lines and the runtime's, as tests/reference/ counts them."""
    readme = (TEMPLATE / "README.md").read_text(encoding="utf-8")
    for architecture in ARCHITECTURES:
        learner, runtime = (int(line.split()[0]) for line in
                            (reference.REFERENCE / f"{architecture}.txt").read_text(encoding="utf-8").splitlines()[-2:])
        row = readme.split(f"| `{architecture}` |")[1].splitlines()[0]
        assert f" | {learner:,} | {runtime:,} | working" in row, architecture
