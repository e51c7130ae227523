"""Run what the template makes: each project's own tests (its lesson; a run killed in the middle and resumed)."""

from __future__ import annotations

import csv
import json
import runpy
import sys
from pathlib import Path

import pytest

from .conftest import ARCHITECTURES, TEMPLATE, run

# The real data beside the template's checkout (shared/data; its README says what is there), as CI has it.
SHARED = TEMPLATE.parent / "shared"
# What every run directory holds when the run has finished (test_cluster.py checks a launched run for them).
RUN_ARTIFACTS = {"config.yaml", "model.keras", "history.csv", "metrics.json", "training_curves.png", "logs",
                 "checkpoints"}
# The recurrent projects: the rnn_cell answer sets one line, config.yaml's default cell
# (test_the_cell_answer_sets_only_the_default_cell), and each project's own model tests build, run, save and reload
# both cells whatever the answer; so each project's suite runs once, with the default answer.
RECURRENT = ("rnn_sentiment", "seq2seq_translation")


def small_model(project: Path) -> list[str]:
    """The project's own settings for a model small enough to test (src/<package>/tests/quick.py)."""
    (quick,) = project.glob("src/*/tests/quick.py")
    return runpy.run_path(str(quick))["MODEL_OVERRIDES"]


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_generated_project_passes_its_own_tests(bake, architecture):
    project = bake(architecture=architecture)
    if SHARED.is_dir():  # the projects' tests on real data look for shared/data beside the project
        (project.parent / "shared").symlink_to(SHARED)
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"], cwd=project)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert " passed" in result.stdout
    if SHARED.is_dir():
        assert " skipped" not in result.stdout, result.stdout[-3000:]


@pytest.mark.parametrize("architecture", RECURRENT)
def test_the_cell_answer_sets_only_the_default_cell(bake, architecture):
    lstm, gru = (bake(architecture=architecture, rnn_cell=cell) for cell in ("lstm", "gru"))
    files = sorted(path.relative_to(lstm) for path in lstm.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(gru) for path in gru.rglob("*") if path.is_file())
    changed = [(name, a, b) for name in files
               for a, b in zip((lstm / name).read_bytes().splitlines(), (gru / name).read_bytes().splitlines(),
                               strict=True) if a != b]
    assert [(str(name), a.decode().split("#")[0].strip(), b.decode().split("#")[0].strip())
            for name, a, b in changed] == \
        [("config.yaml", "rnn_cell: lstm", "rnn_cell: gru")], changed


def history_epochs(run_dir: Path) -> list[int]:
    path = run_dir / "history.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [int(row["epoch"]) for row in csv.DictReader(handle)]


def comparable(run_dir: Path) -> tuple[list[dict], dict]:
    """history.csv without the wall times, and the test scores: what must not depend on being interrupted."""
    with (run_dir / "history.csv").open(newline="") as handle:
        rows = [{key: value for key, value in row.items() if key != "epoch_seconds"} for row in csv.DictReader(handle)]
    return rows, json.loads((run_dir / "metrics.json").read_text())["test"]
