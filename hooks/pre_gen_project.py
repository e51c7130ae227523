"""Refuse bad answers before anything is generated: one line per problem, then exit 1.

The answers are read as data (JSON rendered by Jinja's `tojson`), never pasted into this source,
so a name holding quotes or Python code stays text here. (cookiecutter has already rendered an
answer given on the command line as a Jinja template; no hook can undo that: see README.md.)
Numbers and choices are checked with the rules of the generated project's own `runtime/config.py`, then
config.yaml as cookiecutter is about to write it is checked with the chosen architecture's
`schema.py`, as train.py would check it. So a prompt answer and a config.yaml value are held to
the same limits, and a refused answer changes no file, not even in a project regenerated over
itself with `cookiecutter -f`. The project's folder name is checked earlier still, by
keras_classics_jinja.py: cookiecutter makes that folder before this hook runs.
"""

import importlib
import importlib.util
import json
import keyword
import os
import sys
import tempfile
import types
import unicodedata
from pathlib import Path

import jinja2

sys.dont_write_bytecode = True  # leave no __pycache__ in the template
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")

# Prompt -> the config.yaml key whose rule it follows.
CONFIG_KEYS = {
    "epochs": "training.epochs",
    "batch_size": "training.batch_size",
    "optimizer": "training.optimizer",
    "learning_rate": "training.learning_rate",
    "seed": "seed",
    "distribute": "distribute.strategy",
    "language": "language",
}
# Files at the top of a generated project: a package of the same name would hide them.
PROJECT_FILES = {"train", "tests", "src", "runs"}
PROJECT_NAME_LIMIT = 200  # characters; the folder name made from it is cut to 64 in cookiecutter.json
LICENSES = ("MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0-or-later", "LicenseRef-Proprietary")
# model.rnn_cell of the recurrent projects (recurrent.py CELLS); the other projects ignore the answer.
RNN_CELLS = ("lstm", "gru", "simple")
IMAGE_CHANNELS = ("1", "3")  # data.channels of the dcgan project, like image_size; the others ignore both
NOT_ONE_LINE = ("Cc", "Cs", "Zl", "Zp")  # control characters, undecodable bytes, line and paragraph separators


def template_file(pattern: str) -> Path:
    """A file of the template itself (its folder names hold the unrendered Jinja, matched by glob)."""
    repo = Path(ANSWERS["_repo_dir"])
    if not repo.is_absolute():
        # cookiecutter records the path as typed ("." for `cookiecutter .`) but runs hooks inside
        # the new project, so resolve it from the directory cookiecutter was started in.
        repo = Path(os.environ.get("PWD", ".")) / repo
    found = sorted(repo.glob(pattern))
    if not found:
        sys.exit(f"error: cannot find {pattern} in the template at {repo}; "
                 f"run cookiecutter with the template's full path")
    return found[0]


def load_module(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def load_package(architecture: str | None) -> types.ModuleType:
    """The generated package, stacked from the template's folders as post_gen_project.py lays it out:
    the architecture's own files over the shared ones over the common ones."""
    package = types.ModuleType("template_package")
    folders = [] if architecture is None else [*ANSWERS["_shared_folders"].get(architecture, []), architecture]
    package.__path__ = [str(template_file(f"*project_slug*/architectures/{name}/src/*package_name*"))
                        for name in reversed(folders)]
    package.__path__.append(str(template_file("*project_slug*/src/*package_name*")))
    sys.modules[package.__name__] = package
    return package


NAMES = load_module(template_file("keras_classics_jinja.py"), "template_names")
HIDDEN_MODULES = PROJECT_FILES | set(sys.stdlib_module_names) | {
    line.strip() for line in template_file("hooks/dependency_modules.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")}


def identifier_problems(field: str, value) -> list[str]:
    problem = NAMES.name_problem(field, value)
    if problem:
        return [problem]
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return [f"{field}: got {value!r}; that is a Python keyword, choose another name"]
    if value in HIDDEN_MODULES:
        return [f"{field}: got {value!r}; it would hide the module {value!r} that the project needs, "
                f"choose another name"]
    return []


def text_problems(field: str, value) -> list[str]:
    shown = NAMES.shown(value)
    if not isinstance(value, str) or not value.strip():
        return [f"{field}: got {shown}; expected a non-empty text"]
    if any(unicodedata.category(ch) == "Cs" for ch in value):
        # What Python makes of a byte that is not UTF-8, e.g. a Latin-1 "é" typed in a terminal.
        return [f"{field}: got {shown}; expected UTF-8 text (it holds an undecodable byte: check the "
                f"terminal's encoding)"]
    if any(unicodedata.category(ch) in NOT_ONE_LINE for ch in value):
        return [f"{field}: got {shown}; expected a single line without control characters"]
    if field == "project_name" and len(value) > PROJECT_NAME_LIMIT:
        return [f"{field}: got {shown}; expected at most {PROJECT_NAME_LIMIT} characters"]
    return []


def read_as_yaml(config, answer):
    """A typed answer as config.yaml will read it ("30" -> 30, "abc" stays text); several lines stay text."""
    one_line = isinstance(answer, str) and not any(unicodedata.category(ch) in NOT_ONE_LINE for ch in answer)
    return config.parse_override(f"answer={answer}")[1] if one_line else answer


def answer_problems(config) -> tuple[list[str], bool]:
    """Each answer checked alone; also whether every answer that reaches config.yaml passed."""
    found = []
    for field in ("project_name", "author", "description"):
        found += text_problems(field, ANSWERS.get(field))
    found += identifier_problems("project_slug", ANSWERS.get("project_slug"))
    found += identifier_problems("package_name", ANSWERS.get("package_name"))
    if ANSWERS.get("license") not in LICENSES:
        found.append(f"license: got {ANSWERS.get('license')!r}; expected one of {', '.join(LICENSES)}")
    config_found = []
    if ANSWERS.get("rnn_cell") not in RNN_CELLS:
        config_found.append(f"rnn_cell: got {ANSWERS.get('rnn_cell')!r}; expected one of {', '.join(RNN_CELLS)}")
    if ANSWERS.get("image_channels") not in IMAGE_CHANNELS:
        config_found.append(f"image_channels: got {ANSWERS.get('image_channels')!r}; expected one of "
                            f"{', '.join(IMAGE_CHANNELS)}")
    rules = {prompt: config.COMMON_FIELDS[key] for prompt, key in CONFIG_KEYS.items()}
    # Whether the generator can grow to this size is the dcgan schema's rule, checked with config.yaml below.
    rules["image_size"] = config.Field("int", minimum=12, maximum=1024)
    for prompt, rule in rules.items():
        try:
            rule.parse(prompt, read_as_yaml(config, ANSWERS.get(prompt)))
        except config.ConfigError as error:
            config_found += error.problems
    return found + config_found, not config_found


def config_problems(package: types.ModuleType) -> list[str]:
    """config.yaml as cookiecutter is about to write it, checked by the architecture's own schema."""
    schema = importlib.import_module(f"{package.__name__}.schema")
    project = template_file("*project_slug*")
    # The folders cookiecutter renders from: the project's, and ../templates for what config.yaml includes.
    loader = jinja2.FileSystemLoader([project, project.parent / "templates"])
    environment = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    name = "config.zh.yaml" if ANSWERS.get("language") == "zh" else "config.yaml"  # the same values, other comments
    text = environment.get_template(f"architectures/{ANSWERS['architecture']}/{name}").render(cookiecutter=ANSWERS)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "config.yaml")
        path.write_text(text, encoding="utf-8")
        try:
            schema.load(path)
        except schema.config.ConfigError as error:
            return error.problems
    return []


def problems() -> list[str]:
    # Folders starting with "_" hold files that several architectures share; they are no choice.
    available = sorted(p.name for p in template_file("*project_slug*").glob("architectures/[!_]*") if p.is_dir())
    architecture = ANSWERS.get("architecture")
    package = load_package(architecture if architecture in available else None)
    found, config_answers_fine = answer_problems(importlib.import_module(f"{package.__name__}.runtime.config"))
    if architecture not in available:
        found.append(f"architecture: got {architecture!r}; expected one of {', '.join(available)}")
    elif config_answers_fine:
        found += config_problems(package)
    return found


if __name__ == "__main__":
    lines = problems()
    for line in lines:
        # config.py's messages can wrap a long value over several lines; each problem gets one.
        print("error: " + " ".join(part.strip() for part in line.splitlines()), file=sys.stderr)
    sys.exit(1 if lines else 0)
