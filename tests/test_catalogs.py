"""The Chinese edition's catalogs (i18n/): current with the code, complete, and reached by every shown text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from i18n import catalogs

# A plot's label may be one word ("epoch"); elsewhere two words or more are prose, and one is a name.
LABEL_CALLS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "legend"}
LABEL_KEYWORDS = {"title", "xlabel", "ylabel", "label"}
TRANSLATED = {"_", "N_", "ngettext"}
WORDS = re.compile(r"[A-Za-z]{2,}(?:[ ,;:'-]+[A-Za-z]{2,})+")
WORD = re.compile(r"(?<![\\w.])[A-Za-z]{2,}(?![\\w.])")
# Text that no person reads (a cache key, a file name, a Keras layer's name) is listed in i18n/not_shown/*.txt,
# a line each: the file's path in the template project, a tab, the text as untranslated() reports it.
NOT_SHOWN = {tuple(line.split("\t", 1)) for path in sorted((catalogs.SOURCES / "not_shown").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def text_of(node: ast.AST) -> str | None:
    """A string's text, or an f-string's with {} for each value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def where(path: Path) -> str:
    return catalogs.where(path) if path.is_relative_to(catalogs.PROJECT) else path.name


def untranslated(path: Path) -> list[str]:
    """Each text in the file that a person may read and that does not go through the catalog, as
    `place<tab>text` (its line in the message below). Docstrings are for readers of the code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    labels: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in TRANSLATED:
            skipped.update(id(child) for child in ast.walk(node))
        elif isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
        elif isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body \
                and isinstance(node.body[0], ast.Expr) and text_of(node.body[0].value) is not None:
            skipped.add(id(node.body[0].value))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            shown = [*(node.args if name in LABEL_CALLS else []),
                     *(keyword.value for keyword in node.keywords if keyword.arg in LABEL_KEYWORDS)]
            labels.update(id(child) for value in shown for child in ast.walk(value))
    found = []
    for node in ast.walk(tree):
        text = text_of(node)
        if text is None or id(node) in skipped:
            continue
        if (WORD if id(node) in labels else WORDS).search(text) and (where(path), text) not in NOT_SHOWN:
            found.append(f"{where(path)}\t{text}\t(line {node.lineno})")
    return sorted(set(found))


def shown_files() -> list[Path]:
    files = {path for architecture in catalogs.architectures() for path in catalogs.lesson_files(architecture)}
    return sorted(files | set(catalogs.runtime_files()[:-1]))


def test_the_catalogs_are_current_complete_and_compiled():
    """Every message in the code is in i18n/zh/*.po with a Chinese translation whose placeholders are the
    English ones, nothing else is there, and every shipped .mo is what those sources compile to."""
    problems = catalogs.build(check=True)
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all; make catalogs)"


@pytest.mark.parametrize("path", shown_files(), ids=lambda path: f"{path.parent.parent.parent.name}/{path.name}"
                         if path.parent.name != "runtime" else f"runtime/{path.name}")
def test_every_shown_text_goes_through_the_catalog(path):
    """Errors, printed lines, --help, plot labels and a setting's help are written `_("...")` (or `N_` where the
    language is not known yet), so the catalog has them; a text built outside that is English in every language.
    Text no person reads goes in i18n/not_shown/."""
    found = untranslated(path)
    assert not found, "\n".join(found)


def test_the_sink_check_finds_an_untranslated_message(tmp_path):
    source = tmp_path / "example.py"
    source.write_text('raise UserError(f"epochs {n}: expected at least one")\n'
                      'raise UserError(_("epochs {n}: expected at least one").format(n=n))\n'
                      'axis.set(title=_("loss"), xlabel="the epoch")\n', encoding="utf-8")
    assert [line.rpartition("(line ")[2] for line in untranslated(source)] == ["1)", "3)"]


def test_placeholders_are_compared_as_the_code_fills_them():
    assert catalogs.placeholders("{key}: got {value!r}; expected {allowed}") == ["{allowed}", "{key}", "{value!r}"]
    assert catalogs.placeholders("{{literal}} %(prog)s: %s") == ["%(prog)s", "%s"]
