"""Refuse bad answers before anything is generated: one line per problem, then exit 1.

The answers are read as data (JSON rendered by Jinja's `tojson`), never pasted into this source,
so a name holding quotes or code stays a name. Numbers and choices are checked with the rules of
the generated project's own `config.py`, so a prompt answer and a config.yaml value are held to
the same limits.
"""

import importlib.util
import json
import keyword
import os
import sys
from pathlib import Path

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
}
# Modules a generated project imports, or files it has at the top: a package of the same name would hide them.
PROJECT_MODULES = {"tensorflow", "keras", "numpy", "yaml", "tensorflow_datasets", "matplotlib", "pytest",
                   "tensorboard", "absl", "google", "h5py", "sacrebleu", "train", "tests", "src", "runs"}
LICENSES = ("MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0-or-later", "LicenseRef-Proprietary")
RNN_CELLS = ("lstm", "gru")  # model.rnn_cell of the recurrent projects; the other projects ignore the answer
IMAGE_CHANNELS = ("1", "3")  # data.channels of the dcgan project, like image_size; the others ignore both


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


def load_config_rules():
    path = template_file("*project_slug*/src/*package_name*/config.py")
    spec = importlib.util.spec_from_file_location("template_config", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def identifier_problems(field: str, value: str) -> list[str]:
    allowed = "expected a Python identifier (letters, digits and _, not starting with a digit)"
    if not isinstance(value, str) or not value.isidentifier() or not value.isascii():
        return [f"{field}: got {value!r}; {allowed}"]
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        return [f"{field}: got {value!r}; that is a Python keyword, choose another name"]
    if value in PROJECT_MODULES or value in sys.stdlib_module_names:
        return [f"{field}: got {value!r}; it would hide the module {value!r} that the project needs, "
                f"choose another name"]
    return []


def text_problems(field: str, value) -> list[str]:
    if not isinstance(value, str) or not value.strip():
        return [f"{field}: got {value!r}; expected a non-empty text"]
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return [f"{field}: got {value!r}; expected a single line without control characters"]
    return []


def problems() -> list[str]:
    found = []
    for field in ("project_name", "author", "description"):
        found += text_problems(field, ANSWERS.get(field))
    found += identifier_problems("project_slug", ANSWERS.get("project_slug"))
    found += identifier_problems("package_name", ANSWERS.get("package_name"))
    if ANSWERS.get("license") not in LICENSES:
        found.append(f"license: got {ANSWERS.get('license')!r}; expected one of {', '.join(LICENSES)}")
    if ANSWERS.get("rnn_cell") not in RNN_CELLS:
        found.append(f"rnn_cell: got {ANSWERS.get('rnn_cell')!r}; expected one of {', '.join(RNN_CELLS)}")
    # Whether the generator can grow to this size is checked after generation, by the dcgan's own schema.
    size = ANSWERS.get("image_size")
    if not (isinstance(size, str) and size.isdigit() and 12 <= int(size) <= 1024):
        found.append(f"image_size: got {size!r}; expected a whole number of pixels from 12 to 1024")
    if ANSWERS.get("image_channels") not in IMAGE_CHANNELS:
        found.append(f"image_channels: got {ANSWERS.get('image_channels')!r}; expected one of "
                     f"{', '.join(IMAGE_CHANNELS)}")
    # Folders starting with "_" hold files that several architectures share; they are no choice.
    available = sorted(p.name for p in template_file("*project_slug*").glob("architectures/[!_]*") if p.is_dir())
    if ANSWERS.get("architecture") not in available:
        found.append(f"architecture: got {ANSWERS.get('architecture')!r}; expected one of {', '.join(available)}")

    config = load_config_rules()
    values = {}
    for prompt, key in CONFIG_KEYS.items():
        answer = ANSWERS.get(prompt)
        # Typed answers arrive as text; read them as config.yaml would ("30" -> 30, "abc" stays text).
        value = config.parse_override(f"{key}={answer}")[1] if isinstance(answer, str) else answer
        try:
            values[key] = config.COMMON_FIELDS[key].parse(prompt, value)
        except config.ConfigError as error:
            found += error.problems
    if len(values) == len(CONFIG_KEYS):
        found += list(config.check_common(config.unflatten(values)))
    return found


if __name__ == "__main__":
    lines = problems()
    for line in lines:
        print(f"error: {line}", file=sys.stderr)
    sys.exit(1 if lines else 0)
