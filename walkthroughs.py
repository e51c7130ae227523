"""Each project's walkthrough notebook, made from one readable source per architecture.

    make notebooks                         # after changing a walkthrough.py: write the notebooks
    .venv/bin/python walkthroughs.py --check   # exit 1 if a notebook is not what its source makes (tests)

The source, `architectures/<arch>/notebooks/walkthrough.py`, is a jupytext percent-format script: a
review reads a diff of Python, not of JSON. Its code cells are shared by both languages; each markdown
cell is marked `lang="en"` or `lang="zh"`. It makes `walkthrough.en.ipynb` and `walkthrough.zh.ipynb`
beside it, without outputs; the post-generation hook keeps the one of the chosen language as
`notebooks/walkthrough.ipynb`. The notebooks are rendered by cookiecutter (the package's name is
`{{ cookiecutter.package_name }}` in their imports); the source is not shipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent
ARCHITECTURES = ROOT / "{{cookiecutter.project_slug}}" / "architectures"
LANGUAGES = ("en", "zh")
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def sources() -> list[Path]:
    return sorted(ARCHITECTURES.glob("*/notebooks/walkthrough.py"))


def notebook_text(source: Path, language: str) -> str:
    """The notebook for `language`: the shared cells and that language's prose, with stable cell ids."""
    notebook = jupytext.read(source, fmt="py:percent")
    cells = []
    for cell in notebook.cells:
        if cell.metadata.pop("lang", language) != language:
            continue
        cell.id = f"{len(cells):02d}-{cell.cell_type}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
    notebook.cells = cells
    notebook.metadata = {"kernelspec": KERNEL, "language_info": {"name": "python"}}
    notebook.nbformat, notebook.nbformat_minor = 4, 5
    # ASCII, Chinese as \u escapes: cookiecutter renders only what binaryornot calls text, judged from the first
    # 512 bytes, and binaryornot 0.6.0 calls a sample that ends inside a multi-byte character binary (its issue 658).
    return json.dumps(notebook, indent=1, ensure_ascii=True, sort_keys=True) + "\n"


def build(check: bool) -> list[str]:
    """Write (or, with `check`, compare) every notebook; return the ones that were not current."""
    stale = []
    for source in sources():
        for language in LANGUAGES:
            target = source.with_name(f"walkthrough.{language}.ipynb")
            text = notebook_text(source, language)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target.relative_to(ROOT)))
                if not check:
                    target.write_text(text, encoding="utf-8")
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook is not current")
    args = parser.parse_args()
    stale = build(args.check)
    for path in stale:
        print(f"{path}: {'not made from its walkthrough.py (make notebooks)' if args.check else 'written'}",
              file=sys.stderr)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
