"""The Chinese edition's catalogs: every message a project can show, its translation, and the compiled files.

    make catalogs                        # after changing a message: update the .po sources, compile the .mo files
    .venv/bin/python -m i18n.catalogs --check   # what is out of date or untranslated (tests/test_catalogs.py)

Messages are extracted with Babel from the code, where they are written `_("...")`, `N_("...")` or
`ngettext("...", "...", n)` (runtime/i18n.py). Two sources are translated here, in i18n/zh/:
`runtime.po` (the runtime's messages, and argparse's own words, which the runtime shows in --help and in
its errors) and `lessons.po` (every architecture's own messages, one file for all of them, since several
architectures share files). They compile to the runtime's `runtime/locale/zh/LC_MESSAGES/runtime.mo`
(the same in every project) and to each architecture's `locale/zh/LC_MESSAGES/lesson.mo`, holding only
the messages its files can show. Terms follow glossary.md.
"""

from __future__ import annotations

import argparse
import datetime
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "i18n"
PROJECT = ROOT / "{{cookiecutter.project_slug}}"
PACKAGE = "{{cookiecutter.package_name}}"
RUNTIME = PROJECT / "src" / PACKAGE / "runtime"
ARCHITECTURES = PROJECT / "architectures"
LANGUAGE = "zh"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Fixed so that the same messages always compile to the same bytes (the test compares them).
DATE = datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC)
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[a-z]|%[a-z]")


def shared_folders() -> dict[str, list[str]]:
    import json

    return json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))["_shared_folders"]


def architectures() -> list[str]:
    return sorted(path.name for path in ARCHITECTURES.iterdir() if path.is_dir() and not path.name.startswith("_"))


def lesson_files(architecture: str) -> list[Path]:
    """The Python files of the architecture's package as the post-generation hook lays them down: the
    project's common files, then the shared folders', then its own, each replacing a file of the same name;
    its tests left out (nothing a learner is shown)."""
    layers = [PROJECT / "src" / PACKAGE,
              *(ARCHITECTURES / name / "src" / PACKAGE for name in [*shared_folders().get(architecture, []),
                                                                     architecture])]
    files: dict[Path, Path] = {}
    for layer in layers:
        for path in sorted(layer.rglob("*.py")):
            relative = path.relative_to(layer)
            if relative.parts[0] not in ("runtime", "tests"):
                files[relative] = path
    return [files[key] for key in sorted(files)]


def runtime_files() -> list[Path]:
    return [*sorted(RUNTIME.glob("*.py")), Path(argparse.__file__)]


def extract(files: list[Path]) -> dict:
    """msgid (a str, or a (singular, plural) tuple) -> the files it is in, in the order first met."""
    found: dict = {}
    for path in files:
        for _, message, _, _ in extract_from_file("python", path, keywords=KEYWORDS):
            found.setdefault(message, []).append(path)
    return found


def where(path: Path) -> str:
    if path == Path(argparse.__file__):
        return "argparse.py"
    return str(path.relative_to(PROJECT)).replace(PACKAGE, "<package>")


def read(path: Path) -> Catalog:
    if not path.exists():
        return Catalog(locale=LANGUAGE)
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def new_catalog(domain: str) -> Catalog:
    return Catalog(locale=LANGUAGE, domain=domain, project="Keras Classics", version="1", msgid_bugs_address="-",
                   header_comment="# The Chinese of Keras Classics' messages. Keep it current with make catalogs;\n"
                                  "# the terms follow i18n/glossary.md.",
                   copyright_holder="Keras Classics", creation_date=DATE, revision_date=DATE, fuzzy=False,
                   language_team="Keras Classics", last_translator="Keras Classics")


def updated(source: Catalog, messages: dict, domain: str) -> Catalog:
    """The source catalog with exactly `messages`: translations kept, new messages added untranslated."""
    catalog = new_catalog(domain)
    for msgid, paths in messages.items():
        old = source.get(msgid)
        locations = sorted({(where(path), None) for path in paths})
        if old is not None and old.string:
            catalog.add(msgid, old.string, locations=locations, auto_comments=old.auto_comments,
                        user_comments=old.user_comments)
        else:
            catalog.add(msgid, ("", "") if isinstance(msgid, tuple) else "", locations=locations)
    return catalog


def po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=120, sort_output=True, include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog, messages: dict, domain: str) -> bytes:
    compiled = new_catalog(domain)
    for msgid in messages:
        message = catalog.get(msgid)
        if message is not None and message.string and all(message.string if isinstance(message.string, tuple)
                                                           else [message.string]):
            compiled.add(msgid, message.string)
    out = io.BytesIO()
    write_mo(out, compiled, use_fuzzy=False)
    return out.getvalue()


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "").replace("%%", "")))


def translation_problems(catalog: Catalog, name: str) -> list[str]:
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"{name}: no Chinese for {ids[0]!r}")
            continue
        for string in strings:
            if placeholders(string) != placeholders(ids[-1]) and placeholders(string) != placeholders(ids[0]):
                problems.append(f"{name}: the Chinese for {ids[0]!r} has placeholders {placeholders(string)}, "
                                f"the English {placeholders(ids[0])}")
    return problems


def targets() -> list[tuple[Path, Path, str, dict]]:
    """(.po source, .mo it compiles to, domain, messages) for the runtime and each architecture."""
    lessons = SOURCES / LANGUAGE / "lessons.po"
    found = [(SOURCES / LANGUAGE / "runtime.po",
              RUNTIME / "locale" / LANGUAGE / "LC_MESSAGES" / "runtime.mo", "runtime", extract(runtime_files()))]
    for architecture in architectures():
        found.append((lessons, ARCHITECTURES / architecture / "src" / PACKAGE / "locale" / LANGUAGE / "LC_MESSAGES" /
                      "lesson.mo", "lesson", extract(lesson_files(architecture))))
    return found


def build(check: bool) -> list[str]:
    """Write (or, with `check`, compare) the .po sources and the .mo files; return what was out of date."""
    problems: list[str] = []
    by_source: dict[Path, dict] = {}
    for source, _, _, messages in targets():
        merged = by_source.setdefault(source, {})
        for msgid, paths in messages.items():
            merged.setdefault(msgid, []).extend(paths)
    catalogs = {}
    for source, messages in by_source.items():
        catalog = updated(read(source), messages, source.stem)
        catalogs[source] = catalog
        text = po_text(catalog)
        if not source.exists() or source.read_bytes() != text:
            problems.append(f"{source.relative_to(ROOT)}: not current with the code's messages (make catalogs)")
            if not check:
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_bytes(text)
        problems += translation_problems(catalog, str(source.relative_to(ROOT)))
    for source, target, domain, messages in targets():
        data = mo_bytes(catalogs[source], messages, domain)
        if not target.exists() or target.read_bytes() != data:
            problems.append(f"{target.relative_to(ROOT)}: not compiled from the current catalog (make catalogs)")
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of date")
    args = parser.parse_args()
    problems = build(args.check)
    for line in problems:
        print(line, file=sys.stderr)
    untranslated = [line for line in problems if "no Chinese" in line or "placeholders" in line]
    return 1 if (problems if args.check else untranslated) else 0


if __name__ == "__main__":
    sys.exit(main())
