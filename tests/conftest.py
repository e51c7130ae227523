"""Helpers for testing the template: bake it, run its hooks through the real CLI, run what it made."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ARCHITECTURES = json.loads((TEMPLATE / "cookiecutter.json").read_text())["architecture"]
QUIET_TF = {"TF_CPP_MIN_LOG_LEVEL": "2"}


def cookiecutter_cli(output_dir: Path, *answers: str, template: Path = TEMPLATE) -> subprocess.CompletedProcess:
    """`cookiecutter --no-input` as a person runs it, with `key=value` answers."""
    return subprocess.run([str(BIN / "cookiecutter"), "--no-input", "--output-dir", str(output_dir), str(template),
                           *answers], capture_output=True, text=True, timeout=120)


def run(args: list[str], cwd: Path, timeout: int = 900, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **QUIET_TF, **(env or {})})

@pytest.fixture(autouse=True, scope="session")
def xla_choices_in_tmp(tmp_path_factory):
    """Runs with training.jit_compile: auto measure XLA on this machine and keep the answer; here, not in the
    user's cache folder (compile_choice.py). Child processes inherit it."""
    os.environ["KERAS_CLASSICS_XLA_CHOICES"] = str(tmp_path_factory.mktemp("xla") / "xla-choices.json")


@pytest.fixture(scope="session")
def chinese_project(tmp_path_factory):
    """An architecture's project generated with language=zh, made once for the whole session when first asked for
    (test_chinese.py reads it, test_notebooks.py runs its notebook in it): in the folder that the test processes'
    own temporary folders share, the first process to ask makes it while the others wait."""
    from cookiecutter.main import cookiecutter

    session = tmp_path_factory.getbasetemp()
    folder = (session.parent if os.environ.get("PYTEST_XDIST_WORKER") else session) / "zh-projects"
    folder.mkdir(exist_ok=True)

    def project(architecture: str) -> Path:
        made = folder / f"zh_{architecture}"
        with open(folder / f"{architecture}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not made.exists():
                cookiecutter(str(TEMPLATE), no_input=True, output_dir=str(folder), extra_context={
                    "architecture": architecture, "project_slug": made.name, "language": "zh"})
        return made

    return project


@pytest.fixture
def bake(cookies):
    """Bake with some answers changed; fail the test with the hook's reason if baking fails."""

    def bake_with(**answers) -> Path:
        result = cookies.bake(extra_context={key: str(value) for key, value in answers.items()})
        assert result.exit_code == 0, f"baking {answers} failed: {result.exception}"
        return Path(result.project_path)

    return bake_with


# The tests that train take half a minute or more each; the others take seconds. Started first and one at a time
# (`make test` runs `--dist load --maxschedchunk 1`), the long ones cannot be left to one worker at the end while the
# other waits. In the order measured on 2026-12-06, longest first.
LONGEST_FIRST = ("own_tests[dcgan]", "comparison_killed", "own_tests[dbn]", "own_tests[autoencoder]",
                 "own_tests[seq2seq_translation]", "translator_comparison", "own_tests[alexnet]", "own_tests[lenet5]",
                 "killed_at_every_point", "own_tests[rnn_sentiment]", "own_tests[mnist_mlp]", "own_tests[perceptron]",
                 "multi_worker_two_processes", "walkthrough_runs_top_to_bottom", "first_screen_is_quiet",
                 "test_any_text_answer", "within_the_backup", "mirrored_strategy")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        return next((index for index, name in enumerate(LONGEST_FIRST) if name in item.nodeid), len(LONGEST_FIRST))

    items.sort(key=rank)
