"""Each project's walkthrough notebook: made from its source, and run top to bottom offline, in Chinese (the
English one has the same code cells; that it is current with the same source is checked too)."""

from __future__ import annotations

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

import walkthroughs

from .conftest import ARCHITECTURES


def test_each_architecture_has_a_walkthrough_and_its_notebooks_are_current():
    assert sorted(source.parents[1].name for source in walkthroughs.sources()) == sorted(ARCHITECTURES)
    assert not walkthroughs.build(check=True), "make notebooks"


@pytest.fixture(scope="session")
def kernel():
    """One Jupyter kernel per test process, shared by the notebooks it runs: TensorFlow is imported once. Each
    project's package has a name of its own, so they do not meet in it."""
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    yield manager
    manager.shutdown_kernel(now=True)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_the_walkthrough_runs_top_to_bottom(chinese_project, kernel, architecture):
    path = chinese_project(architecture) / "notebooks" / "walkthrough.ipynb"
    notebook = nbformat.read(path, as_version=4)
    # Jupyter starts a notebook's own kernel in the notebook's folder; the shared one is moved there first.
    notebook.cells.insert(0, nbformat.v4.new_code_cell(f"import os\nos.chdir({str(path.parent)!r})"))
    NotebookClient(notebook, km=kernel, timeout=300).execute()
    shown = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert sum("image/png" in output.get("data", {}) for output in shown) >= 3, "the data, the curves, the scores"
    assert not [output for output in shown if output.output_type == "error"]
    assert not [output.text for output in shown if output.get("name") == "stderr"], "nothing but what a learner reads"
