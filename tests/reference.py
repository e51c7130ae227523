"""Write tests/reference/<architecture>.txt: every file a default rendering holds, with its line count.

    make reference      # after a change that is meant to alter what a student gets

tests/test_render.py renders each architecture afresh and compares it with these files, so that a
change adding a file, or 200 lines, to every student's project shows in the diff for review.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from cookiecutter.main import cookiecutter

TEMPLATE = Path(__file__).resolve().parents[1]
REFERENCE = TEMPLATE / "tests" / "reference"
ARCHITECTURES = json.loads((TEMPLATE / "cookiecutter.json").read_text())["architecture"]


def render(architecture: str, output_dir: Path) -> Path:
    """The project cookiecutter makes with every default answer but the architecture."""
    return Path(cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(output_dir),
                             extra_context={"architecture": architecture}))


def python_lines(project: Path, runtime: bool) -> int:
    """Lines of Python outside the tests: the learner's (train.py and the package without its runtime/), or the
    runtime's (src/<package>/runtime/, the same in every project)."""
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in project.rglob("*.py")
               if "tests" not in path.relative_to(project).parts
               and ("runtime" in path.relative_to(project).parts) == runtime)


def length(path: Path) -> str:
    """A text file's lines; "-" for a compiled catalog (.mo), which is binary (its source is the template's i18n/)."""
    return "-" if path.suffix == ".mo" else str(len(path.read_text(encoding="utf-8").splitlines()))


def summary(project: Path) -> str:
    rows = [f"{length(path):>5}  {path.relative_to(project).as_posix()}"
            for path in sorted(project.rglob("*")) if path.is_file()]
    learner, runtime = python_lines(project, runtime=False), python_lines(project, runtime=True)
    return "\n".join([*rows, f"{learner:>5}  lines of Python for the learner, outside the tests and the runtime",
                      f"{runtime:>5}  lines of Python in the runtime, outside its tests"]) + "\n"


def main() -> None:
    REFERENCE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for architecture in ARCHITECTURES:
            project = render(architecture, Path(folder) / architecture)
            (REFERENCE / f"{architecture}.txt").write_text(summary(project), encoding="utf-8")
            print(f"wrote tests/reference/{architecture}.txt")


if __name__ == "__main__":
    main()
