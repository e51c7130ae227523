"""The runtime's own suite, run once: against a stand-in lesson (tests/standin/), not against an architecture.

Each test process lays out a project as the template generates one, from the template's own runtime folder
(copied, as generation copies it) and the stand-in's lesson.py, schema.py and config.yaml, then imports it
as the package `standin`.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
TEMPLATE_PROJECT = TESTS.parent / "{{cookiecutter.project_slug}}"
STANDIN = TESTS / "standin"


def make_project(folder: Path) -> Path:
    project, package = folder / "standin_project", folder / "standin_project" / "src" / "standin"
    shutil.copytree(TEMPLATE_PROJECT / "src" / "{{cookiecutter.package_name}}" / "runtime", package / "runtime",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("lesson.py", "schema.py"):
        shutil.copy(STANDIN / name, package / name)
    (package / "__init__.py").write_text('"""The stand-in lesson of the runtime\'s tests."""\n')
    shutil.copy(STANDIN / "config.yaml", project / "config.yaml")
    shutil.copy(TEMPLATE_PROJECT / "train.py", project / "train.py")
    return project


PROJECT_ROOT = make_project(Path(tempfile.mkdtemp(prefix="runtime-suite-")))
atexit.register(shutil.rmtree, PROJECT_ROOT.parent, True)
sys.path.insert(0, str(PROJECT_ROOT / "src"))

from standin import schema  # noqa: E402
from standin.lesson import LESSON  # noqa: E402
from standin.runtime import cli  # noqa: E402

CONFIG_PATH = PROJECT_ROOT / "config.yaml"
# An optimizer that learns the synthetic data in a few steps.
STEADY_OPTIMIZER = ["training.optimizer=adam", "training.learning_rate=0.01"]
# A run small enough for a test: synthetic data, a few short epochs, nothing written outside tmp.
QUICK = ["data.source=synthetic", "data.synthetic_examples=512", "training.epochs=2", "training.batch_size=64",
         "training.early_stopping_patience=0", "training.jit_compile=false", *STEADY_OPTIMIZER]
REPEATABLE = ["training.deterministic=true"]
# The shared finished run: QUICK with deterministic ops, epochs enough to learn, and seed 0 (a seed that reads as
# false, so code that tests `if seed:` would lose it).
EPOCHS = 6
FINISHED = [*QUICK, *REPEATABLE, f"training.epochs={EPOCHS}", "seed=0"]


@pytest.fixture(autouse=True)
def in_the_project(monkeypatch):
    """Each test runs where a learner types `python train.py`: in the project's folder (config.yaml is there)."""
    monkeypatch.chdir(PROJECT_ROOT)


def main(argv: list[str]) -> int:
    """`python train.py ARGV`, in this process."""
    return cli.main(LESSON, argv)


@pytest.fixture
def quick_config(tmp_path):
    """Load config.yaml with QUICK and any extra `key=value` overrides; runs go under tmp_path."""

    def load(*overrides: str) -> dict:
        return schema.load(CONFIG_PATH, [*QUICK, f"run.runs_dir={tmp_path / 'runs'}", *overrides])

    return load


@pytest.fixture(scope="session")
def finished_run(tmp_path_factory):
    """A FINISHED run trained through the command line, shared by every test that needs a finished run."""
    runs = tmp_path_factory.mktemp("runs")
    assert main(["train", "--config", str(CONFIG_PATH), *FINISHED, f"run.runs_dir={runs}"]) == 0
    (run_dir,) = runs.iterdir()
    return run_dir


class ForkServer:
    """fork_server.py, started on first use: one per test process, shut at its exit."""

    def __init__(self):
        self.process: subprocess.Popen | None = None

    def run(self, args: list[str], cwd: Path, env: dict, timeout: float) -> subprocess.CompletedProcess:
        if self.process is None:
            self.process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fork_server.py"))],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.DEVNULL, text=True)
            atexit.register(self.process.stdin.close)
        with tempfile.TemporaryDirectory() as folder:
            out, err = Path(folder) / "stdout", Path(folder) / "stderr"
            request = {"script": str(PROJECT_ROOT / "train.py"), "args": list(args), "cwd": str(cwd), "env": env,
                       "stdout": str(out), "stderr": str(err)}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            pid = json.loads(self.process.stdout.readline())["pid"]
            timed_out = threading.Event()

            def stop() -> None:
                timed_out.set()
                os.kill(pid, signal.SIGKILL)

            watch = threading.Timer(timeout, stop)
            watch.start()
            try:
                returncode = json.loads(self.process.stdout.readline())["returncode"]
            finally:
                watch.cancel()
            if timed_out.is_set():
                raise subprocess.TimeoutExpired(["train.py", *args], timeout, out.read_text(), err.read_text())
            return subprocess.CompletedProcess(["train.py", *args], returncode, out.read_text(), err.read_text())


FORK_SERVER = ForkServer()


def run_project(*args: str, cwd: Path = PROJECT_ROOT, env: dict | None = None, timeout: int = 600):
    """`python train.py ARGS`, as a learner runs it, in a child of fork_server.py: a process of its own that starts
    with TensorFlow already imported (4-5 s of each run here), and otherwise as a fresh one (it picks its devices,
    dies alone when killed). test_cli.py's first-screen test starts real processes (start_project)."""
    return FORK_SERVER.run(list(args), cwd, {**os.environ, **(env or {})}, timeout)


def start_project(*args: str, cwd: Path = PROJECT_ROOT, env: dict | None = None, timeout: int = 600):
    """Run `python train.py ARGS` in a new Python process, from its very first line."""
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "train.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def refused(capsys, tmp_path: Path, *args: str) -> str:
    """`train.py ARGS` as a command, which must be refused (exit status 2) before it creates or changes anything
    under tmp_path; returns its stderr, one `error:` line per problem. ARGS end with overrides (or a flag that
    takes them): runs go under tmp_path unless they set run.runs_dir."""
    before = sorted(tmp_path.rglob("*"))
    capsys.readouterr()
    given_runs_dir = any(arg.startswith("run.runs_dir=") for arg in args)
    assert main([*args, *([] if given_runs_dir else [f"run.runs_dir={tmp_path / 'runs'}"])]) == 2
    err = capsys.readouterr().err
    assert err and all(line.startswith("error: ") for line in err.splitlines()), err
    assert sorted(tmp_path.rglob("*")) == before, "a refused command creates nothing"
    return err.strip()
