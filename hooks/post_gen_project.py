"""Keep only the chosen architecture's files, then check the result as pip and train.py would.

The answers were checked before generation (pre_gen_project.py); a failure here is the template's
own. It prints the problem and exits 1; cookiecutter then removes the half-made project directory.
"""

import json
import shutil
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 has no TOML reader; the check below is skipped there
    tomllib = None

sys.dont_write_bytecode = True  # leave no __pycache__ behind from the checks below
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
# Files shared by several architectures (cookiecutter.json's _shared_folders), laid down before the
# architecture's own, which win.
SHARED = ANSWERS["_shared_folders"]


def keep_architecture(project: Path, architecture: str) -> None:
    """Move architectures/<shared>/ and architectures/<architecture>/ over the project, then drop the rest."""
    folders = project / "architectures"
    if not (folders / architecture).is_dir():
        sys.exit(f"error: architecture: no files for {architecture!r} in this template")
    for chosen in [folders / name for name in [*SHARED.get(architecture, []), architecture]]:
        for source in sorted(chosen.rglob("*")):
            if source.is_file():
                target = project / source.relative_to(chosen)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(source, target)
    shutil.rmtree(folders)


def keep_language(project: Path, language: str) -> None:
    """config.yaml with its comments in the chosen language (the architecture's config.zh.yaml for zh), and the
    walkthrough notebook in it (made in the template from notebooks/walkthrough.py, which is not shipped)."""
    notebooks = project / "notebooks"
    if notebooks.is_dir():
        (notebooks / f"walkthrough.{language}.ipynb").replace(notebooks / "walkthrough.ipynb")
        for other in notebooks.glob("walkthrough.*"):
            if other.name != "walkthrough.ipynb":
                other.unlink()
    chinese = project / "config.zh.yaml"
    if not chinese.is_file():
        sys.exit("error: config.zh.yaml: missing from this architecture's files in the template")
    if language == "zh":
        chinese.replace(project / "config.yaml")
    else:
        chinese.unlink()


def check_sources(project: Path) -> None:
    for path in sorted(project.rglob("*.py")):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as error:
            sys.exit(f"error: {path.relative_to(project)} does not compile: {error.msg} (line {error.lineno})")


def check_pyproject(project: Path) -> None:
    if tomllib is None:
        return
    try:
        tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        sys.exit(f"error: pyproject.toml is not valid TOML: {error}")


def check_config(project: Path, package: str) -> None:
    """Validate config.yaml with the project's own schema (standard library + PyYAML only)."""
    sys.path.insert(0, str(project / "src"))
    schema = __import__(f"{package}.schema", fromlist=["load"])
    config = sys.modules[f"{package}.runtime.config"]
    try:
        schema.load(project / "config.yaml")
    except config.ConfigError as error:
        for line in error.problems:
            print(f"error: {line}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    project = Path.cwd()
    keep_architecture(project, ANSWERS["architecture"])
    keep_language(project, ANSWERS["language"])
    check_sources(project)
    check_pyproject(project)
    check_config(project, ANSWERS["package_name"])
