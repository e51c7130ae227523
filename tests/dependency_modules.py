"""Write hooks/dependency_modules.txt: every top-level module that a generated project's dependencies install.

    .venv/bin/python -m tests.dependency_modules      # in the template's folder

A project or package named like one of them would hide it, so the pre-generation hook refuses such
names. The hook may run under a Python without TensorFlow, hence the list in a file; run this with
the template's .venv after changing a pin, and tests/test_hooks.py checks that the file is current.
The walk follows the requirements that apply on this machine (Linux, this Python).
"""

from __future__ import annotations

import json
import tomllib
from importlib import metadata
from pathlib import Path

import jinja2
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

TEMPLATE = Path(__file__).resolve().parents[1]
LIST = TEMPLATE / "hooks" / "dependency_modules.txt"
HEADER = ("# Top-level modules of the generated project's dependencies: the pre-gen hook refuses them as names.\n"
          "# Written by `.venv/bin/python -m tests.dependency_modules`, run in the template's folder.\n")


def direct_requirements() -> list[str]:
    """requirements-dev.txt, and what the generated pyproject.toml of every architecture asks for."""
    lines = (TEMPLATE / "requirements-dev.txt").read_text().splitlines()
    found = [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    template = next(TEMPLATE.glob("*project_slug*/pyproject.toml")).read_text()
    environment = jinja2.Environment(extensions=["keras_classics_jinja.Filters"], undefined=jinja2.StrictUndefined)
    for architecture in json.loads((TEMPLATE / "cookiecutter.json").read_text())["architecture"]:
        answers = {"project_slug": "x", "package_name": "x", "description": "", "author": "", "license": "MIT",
                   "architecture": architecture}
        pyproject = tomllib.loads(environment.from_string(template).render(cookiecutter=answers))
        found += pyproject["project"]["dependencies"] + pyproject["build-system"]["requires"]
        found += [item for group in pyproject["project"]["optional-dependencies"].values() for item in group]
    return found


def distributions(requirements: list[str]) -> dict[str, metadata.Distribution]:
    """Every installed distribution the requirements lead to, their requirements' requirements included."""
    found: dict[str, metadata.Distribution] = {}
    todo = [(Requirement(text), "") for text in requirements]
    seen = set()
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        for wanted in {"", *requirement.extras}:
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            found[name] = found.get(name) or metadata.distribution(name)
            todo += [(Requirement(text), wanted) for text in found[name].requires or []]
    return found


def top_level_modules(distribution: metadata.Distribution) -> set[str]:
    """The importable names a distribution puts on sys.path: top_level.txt, else its installed files."""
    names = set((distribution.read_text("top_level.txt") or "").split())
    for file in distribution.files or []:
        if file.suffix in (".py", ".so", ".pyd"):
            names.add(file.parts[0] if len(file.parts) > 1 else file.name.split(".")[0])
    return {name.split("/")[0] for name in names if name.split("/")[0].isidentifier()}


def dependency_modules() -> list[str]:
    return sorted(set().union(*map(top_level_modules, distributions(direct_requirements()).values())))


if __name__ == "__main__":
    LIST.write_text(HEADER + "".join(f"{name}\n" for name in dependency_modules()))
    print(f"wrote {LIST.relative_to(TEMPLATE)}")
