"""Helpers for testing the template: bake it, run its hooks through the real CLI, run what it made."""

from __future__ import annotations

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


@pytest.fixture
def bake(cookies):
    """Bake with some answers changed; fail the test with the hook's reason if baking fails."""

    def bake_with(**answers) -> Path:
        result = cookies.bake(extra_context={key: str(value) for key, value in answers.items()})
        assert result.exit_code == 0, f"baking {answers} failed: {result.exception}"
        return Path(result.project_path)

    return bake_with
