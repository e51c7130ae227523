"""A generated project holds only what it uses: nothing that its own code defines and never calls.

vulture (a maintained dead-code finder) reads each rendering: train.py and the learner's package,
where the tests do not count as users; then the test helpers (conftest.py, quick.py), which the
tests must use. The runtime, the same in every project, is read once against all the lessons
together. Names that Keras or Python call by convention, never by name, are listed below.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import ARCHITECTURES, BIN

# vulture counts a name as used once it appears here.
CALLED_BY_CONVENTION = """
_.call  # keras.layers.Layer.__call__ runs it
_.trainable  # Keras reads it: a frozen layer's weights are left out of training (the autoencoder's pretraining.py)
_.compute_output_shape  # Keras asks a layer for it when it builds a model
_._save_model  # keras.callbacks.BackupAndRestore calls it after every epoch (runtime/backup.py RunBackup)
_.best_weights  # keras.callbacks.EarlyStopping restores them when training ends
_.async_safe  # keras.callbacks.CallbackList reads it to run a callback's step hooks on a helper thread
_.on_batch_end  # keras.callbacks.CallbackList calls it after every step (runtime/callbacks.py TerminateOnNaN)
_.enabled  # tf.data.Options().autotune.enabled: tf.data reads it (runtime/data_sources.py pipeline)
"""


def vulture(paths: list[Path], whitelist: Path, *options: str) -> list[str]:
    result = subprocess.run([str(BIN / "vulture"), *map(str, paths), str(whitelist), "--min-confidence", "60",
                             *options], capture_output=True, text=True)
    assert result.returncode in (0, 3), result.stderr  # 3: vulture found something
    return result.stdout.splitlines()


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_a_learners_package_holds_only_what_it_uses(bake, tmp_path, architecture):
    """The lesson's modules, read with the runtime that calls them (the runtime's own dead code is the next test's)."""
    project = bake(architecture=architecture)
    package = project / "src" / project.name
    whitelist = tmp_path / "called_by_convention.py"
    whitelist.write_text(CALLED_BY_CONVENTION)
    code = [project / "train.py", *sorted(package.glob("*.py")), *sorted((package / "runtime").glob("*.py"))]
    found = vulture(code, whitelist)
    assert [line for line in found if "/runtime/" not in line] == [], "defined in the lesson but never used by it"

    helpers = [package / "tests" / name for name in ("conftest.py", "quick.py")]
    tests = sorted((package / "tests").glob("test_*.py"))
    found = vulture([*code, *helpers, *tests], whitelist, "--ignore-names", "test_*",
                    "--ignore-decorators", "@pytest.fixture")
    assert [line for line in found if "/tests/" in line] == [], "test helpers that no test uses"


def test_the_runtime_holds_only_what_some_lesson_uses(bake, tmp_path):
    """The runtime, read with every architecture's lesson: a runtime function that no lesson reaches is dead."""
    projects = [bake(architecture=architecture) for architecture in ARCHITECTURES]
    whitelist = tmp_path / "called_by_convention.py"
    whitelist.write_text(CALLED_BY_CONVENTION)
    runtime = sorted((projects[0] / "src" / projects[0].name / "runtime").glob("*.py"))
    lessons = [path for project in projects
               for path in [project / "train.py", *sorted((project / "src" / project.name).glob("*.py"))]]
    found = vulture([*runtime, *lessons], whitelist)
    assert [line for line in found if "/runtime/" in line] == [], "in the runtime but used by no architecture"
