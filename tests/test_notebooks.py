"""Each project's walkthrough notebook: made from its source, and run top to bottom offline, in Chinese (the
English one has the same code cells; its prose is checked to be current with the same source)."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

import walkthroughs

from .conftest import ARCHITECTURES


def test_each_architecture_has_a_walkthrough_and_its_notebooks_are_current():
    assert sorted(source.parents[1].name for source in walkthroughs.sources()) == sorted(ARCHITECTURES)
    assert not walkthroughs.build(check=True), "make notebooks"


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_the_walkthrough_runs_top_to_bottom(bake, architecture):
    project = bake(architecture=architecture, language="zh")
    path = project / "notebooks" / "walkthrough.ipynb"
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert sum("image/png" in output.get("data", {}) for output in shown) >= 3, "the data, the curves, the scores"
    assert not [output for output in shown if output.output_type == "error"]
